"""Small built-in name lists for synthetic persons, grouped by naming tradition.

The names are common given and family names; combinations are random, so any resemblance
to a real person is a coincidence. Each group also lists the languages its persons speak
(ISO 639-1) for the interpreter fields.
"""

from __future__ import annotations

from typing import NamedTuple


class NameGroup(NamedTuple):
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    languages: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GROUPS: dict[str, NameGroup] = {
    "finnish": NameGroup(
        _split("Aino Anna Eveliina Helmi Johanna Katja Laura Maria Minna Noora Sari Tiina Venla"),
        _split("Antti Eero Janne Juha Jukka Kalle Markku Mikko Onni Pekka Timo Ville Väinö"),
        _split(
            "Heikkinen Hämäläinen Korhonen Koskinen Laine Lehtonen Mäkelä Mäkinen Nieminen "
            "Niemi Järvinen Virtanen Salminen Lyytikäinen Kinnunen"
        ),
        ("fi",),
    ),
    "nepali": NameGroup(
        _split("Sita Gita Anjali Sunita Kamala Laxmi Puja Sarita Bimala Rita Sabina Manisha"),
        _split("Ram Hari Krishna Bikash Suman Rajesh Sanjay Dipak Prakash Ramesh Nabin Bishal"),
        _split("Shrestha Gurung Tamang Thapa Rai Magar Adhikari Karki Bhandari Poudel Lama KC"),
        ("ne", "en"),
    ),
    "somali": NameGroup(
        _split("Amina Fadumo Hodan Ayaan Sahra Hibo Nasra Ifrah Ubah Hamdi Deeqa Khadra"),
        _split("Abdi Mohamed Ahmed Hassan Abdirahman Yusuf Ali Omar Mahad Farah Ismail Liban"),
        _split("Abdullahi Hussein Warsame Jama Osman Farah Aden Nur Egal Dahir Hirsi Samatar"),
        ("so", "ar"),
    ),
    "thai": NameGroup(
        _split("Siriporn Somchai Malee Pranee Kanya Ratana Sunee Wanida Nittaya Achara Duangjai"),
        _split("Somsak Anan Chaiwat Prasert Sombat Thongchai Wichai Surachai Boonmee Kittisak"),
        _split("Saelim Srisuk Chaiyaporn Thongdee Boonsri Wongsa Phromma Kaewkham Sukjai Inthanon"),
        ("th",),
    ),
    "vietnamese": NameGroup(
        _split("Lan Hoa Mai Thu Huong Linh Trang Ngoc Hanh Phuong Anh Thao"),
        _split("Minh Tuan Hung Duc Quang Long Nam Thanh Hieu Dung Khanh Son"),
        _split("Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do Ho Ngo"),
        ("vi",),
    ),
    "west_african": NameGroup(
        _split("Blessing Joy Precious Faith Mercy Esther Favour Gift Peace Grace Fatou Aminata"),
        _split("Chinedu Emeka Kwame Kofi Ibrahim Samuel Daniel Musa Babacar Lamin Ousmane Yaw"),
        _split("Okafor Adeyemi Okonkwo Mensah Boateng Diallo Jallow Sesay Conteh Ndiaye Eze Bah"),
        ("en", "fr"),
    ),
    "east_african": NameGroup(
        _split("Selam Hanna Meron Tigist Aster Winta Grace Achieng Wanjiru Nasra Halima Rahel"),
        _split("Dawit Yonas Tesfaye Kidane Samuel Brian Peter Abdallah Musa Joseph Amanuel"),
        _split("Tesfay Gebremedhin Haile Bekele Mekonnen Otieno Kamau Mwangi Okello Nsubuga"),
        ("ti", "am", "sw", "en"),
    ),
    "arabic": NameGroup(
        _split("Fatima Zainab Maryam Noor Huda Layla Rania Samira Yasmin Hiba Amal Salma"),
        _split("Ahmad Mohammed Ali Hussein Omar Khalid Mustafa Youssef Karim Tariq Hamza Sami"),
        _split("Al-Hassan Haddad Khalil Mansour Saleh Nasser Haidari Aziz Jaber Kareem Darwish"),
        ("ar",),
    ),
    "persian": NameGroup(
        _split("Zahra Maryam Fatemeh Parisa Shirin Nilofar Roya Soraya Farzana Mahsa Laleh"),
        _split("Ahmad Reza Ali Mohammad Hamid Farid Jawad Sohrab Navid Mehdi Nasir Bashir"),
        _split("Ahmadi Hosseini Karimi Rahimi Mohammadi Sultani Jafari Rezaei Azizi Sadiqi"),
        ("fa", "ps"),
    ),
    "slavic": NameGroup(
        _split("Olena Natalia Irina Svetlana Oksana Tatiana Yulia Anastasia Maria Daria Elena"),
        _split("Oleksandr Dmitri Sergei Andriy Ivan Mykola Pavel Viktor Yuri Maksim Nikolai"),
        _split("Kovalenko Shevchenko Ivanov Petrov Smirnov Bondarenko Melnyk Popov Kuznetsov"),
        ("uk", "ru"),
    ),
    "turkic": NameGroup(
        _split("Dilnoza Gulnara Madina Aigerim Nigora Zarina Shahnoza Aziza Elif Ayse"),
        _split("Aziz Bekzod Rustam Timur Jasur Nurlan Farrukh Sherzod Emre Murat Mehmet"),
        _split("Karimov Yusupov Rakhimov Aliyev Nazarov Tursunov Ismoilov Yilmaz Demir Kaya"),
        ("uz", "ru", "tr"),
    ),
    "latin": NameGroup(
        _split("Maria Ana Carolina Daniela Valentina Camila Luisa Paola Gabriela Andrea"),
        _split("Carlos Juan Luis Andres Diego Jorge Miguel Jose Felipe Alejandro Mateo"),
        _split("Garcia Rodriguez Martinez Lopez Gonzalez Perez Sanchez Ramirez Torres Silva"),
        ("es", "pt"),
    ),
    "chinese": NameGroup(
        _split("Li Mei Xiu Ying Hui Fang Jing Yan Lan Xia"),
        _split("Wei Jun Hao Lei Qiang Ming Jian Tao Bo Yong"),
        _split("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou"),
        ("zh",),
    ),
    "filipino": NameGroup(
        _split("Maria Cristina Rowena Jocelyn Marites Rosalie Lorna Imelda Analyn Girlie"),
        _split("Jose Mark Ronaldo Jun Rodel Arnel Ramil Jomar Ariel Rommel"),
        _split("Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Aquino Dela Cruz Villanueva"),
        ("tl", "en"),
    ),
    "south_asian": NameGroup(
        _split("Priya Ayesha Nusrat Fatema Sadia Kavya Tahmina Shirin Anusha Nadia"),
        _split("Rahul Arif Imran Rakib Sajid Vikram Kamal Tanvir Nimal Kasun Farhan"),
        _split("Hossain Rahman Islam Khan Singh Sharma Perera Fernando Ahmed Chowdhury"),
        ("bn", "hi", "ur", "si", "en"),
    ),
    "european": NameGroup(
        _split("Kristiina Ieva Anna Agnieszka Ioana Elena Maria Julia Petra Eva Lucia"),
        _split("Andres Tomas Piotr Ion Mihai Lukas Marek Georgi Martin Adrian Matteo"),
        _split("Tamm Kazlauskas Nowak Popescu Ionescu Horvath Novak Dimitrov Rossi Muller"),
        ("et", "lt", "pl", "ro", "bg", "en"),
    ),
}

# Nationality (ISO alpha-2) -> naming tradition; anything unlisted is "european".
NATIONALITY_GROUP: dict[str, str] = {
    "FI": "finnish",
    "NP": "nepali",
    "SO": "somali",
    **dict.fromkeys(["TH", "LA", "KH", "MM"], "thai"),
    "VN": "vietnamese",
    **dict.fromkeys(
        "NG GH GM SL SN CM LR GN CI ML BF TG BJ CD CG AO ZW ZA".split(), "west_african"
    ),
    **dict.fromkeys("ER ET SD KE UG TZ RW BI".split(), "east_african"),
    **dict.fromkeys("IQ SY MA EG DZ TN LY YE JO LB PS".split(), "arabic"),
    **dict.fromkeys("AF IR TJ".split(), "persian"),
    **dict.fromkeys("RU UA BY BG RS BA MK MD GE AM".split(), "slavic"),
    **dict.fromkeys("UZ TM AZ KG KZ TR".split(), "turkic"),
    **dict.fromkeys("CO VE BR PE EC DO CU HT ES".split(), "latin"),
    **dict.fromkeys("CN MN".split(), "chinese"),
    **dict.fromkeys("PH ID MY".split(), "filipino"),
    **dict.fromkeys("BD PK IN LK".split(), "south_asian"),
}

# Names of the synthetic staff who sign decisions and write notes: (given, family).
STAFF_NAMES: tuple[tuple[str, str], ...] = (
    ("Aino", "Laaksonen"),
    ("Mikko", "Hiltunen"),
    ("Sanna", "Rautio"),
    ("Jari", "Peltonen"),
    ("Hanna", "Kivelä"),
    ("Tuomas", "Lindqvist"),
    ("Riikka", "Saarinen"),
    ("Petri", "Halonen"),
    ("Emilia", "Vainio"),
    ("Oskari", "Nurmi"),
    ("Elina", "Tervo"),
    ("Ville", "Ahola"),
)

MUNICIPALITIES: tuple[str, ...] = (
    "Helsinki",
    "Helsinki",
    "Espoo",
    "Vantaa",
    "Tampere",
    "Turku",
    "Lappeenranta",
    "Oulu",
    "Jyväskylä",
    "Kuopio",
    "Lahti",
    "Joensuu",
    "Rovaniemi",
    "Kotka",
    "Pori",
)
