"""Encryption at rest: the values, the encrypted fields, the search hashes, key rotation."""

from __future__ import annotations

import io
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from nas.common import crypto
from nas.common.testing import make_person, reload
from nas.people.models import Person, PersonNameToken

NEW_KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()


def raw_person(person: Person) -> dict[str, str]:
    """Return the person's row as stored: the columns' text, not the fields' values."""
    table = connection.ops.quote_name(Person._meta.db_table)
    columns = [str(f.column) for f in crypto.encrypted_fields(Person)]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


# --- values ------------------------------------------------------------------------------


def test_a_value_is_encrypted_differently_each_time_and_decrypts_back():
    first, second = crypto.encrypt_value("Anna Example"), crypto.encrypt_value("Anna Example")

    assert first != second
    assert "Anna" not in first
    assert crypto.decrypt_value(first) == crypto.decrypt_value(second) == "Anna Example"


def test_an_empty_value_stays_empty():
    assert crypto.encrypt_value("") == crypto.decrypt_value("") == ""
    assert crypto.encrypt_json([]) == ""
    assert crypto.decrypt_json("") == []


def test_a_list_is_encrypted_as_one_json_token():
    token = crypto.encrypt_json(["Ani", "Äné"])

    assert "Ani" not in token
    assert crypto.decrypt_json(token) == ["Ani", "Äné"]


def test_clear_text_where_a_token_belongs_is_an_error_not_a_value():
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        crypto.decrypt_value("Anna")


def test_a_value_of_an_unknown_key_cannot_be_read():
    foreign = Fernet(Fernet.generate_key()).encrypt(b"Anna").decode()

    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt_value(foreign)


def test_a_malformed_key_is_reported_as_such():
    with override_settings(NAS_ENCRYPTION_KEYS=["not-a-key"]):
        with pytest.raises(ImproperlyConfigured, match="must be Fernet keys"):
            crypto.encrypt_value("x")


def test_the_development_key_is_generated_once_and_private(tmp_path):
    path = tmp_path / "sub" / "demo_encryption_key"

    key = crypto.demo_encryption_key(path)

    assert crypto.demo_encryption_key(path) == key
    Fernet(key)  # a valid key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_value_encrypted_with_an_older_key_is_read_and_rotated_to_the_newest():
    with override_settings(NAS_ENCRYPTION_KEYS=[OLD_KEY]):
        token = crypto.encrypt_value("Anna")
    with override_settings(NAS_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert crypto.decrypt_value(token) == "Anna"
        rotated = crypto.rotate_value(token)
    assert Fernet(NEW_KEY).decrypt(rotated.encode()) == b"Anna"


# --- search hashes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("  Anna   EXAMPLE ", "anna example"),
        ("Änne Ødegård-Åberg", "anne ødegard aberg"),
        ("José María", "jose maria"),
        ("O'Brien", "obrien"),
        ("Straße", "strasse"),
        ("Nguyễn Thị", "nguyen thi"),
        ("", ""),
        (" - ", ""),
    ],
)
def test_names_are_normalised_before_hashing(text, normal):
    assert crypto.normalise_name(text) == normal


def test_the_search_hash_ignores_case_accents_and_spacing():
    assert crypto.search_hash("Änna  Example") == crypto.search_hash("anna example")
    assert crypto.search_hash("Anna Example") != crypto.search_hash("Anna Exampel")
    assert len(crypto.search_hash("Anna")) == 64
    assert crypto.search_hash("  ") == ""


def test_the_search_hash_is_keyed():
    with override_settings(NAS_SEARCH_KEY="one-key-of-the-searches-0123456789"):
        one = crypto.search_hash("Anna")
    with override_settings(NAS_SEARCH_KEY="another-key-of-the-searches-01234567"):
        other = crypto.search_hash("Anna")
    assert one != other


def test_without_a_search_key_it_is_derived_from_the_newest_encryption_key():
    with override_settings(NAS_SEARCH_KEY=None, NAS_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        derived = crypto.search_hash("Anna")
    with override_settings(NAS_SEARCH_KEY=None, NAS_ENCRYPTION_KEYS=[OLD_KEY]):
        assert crypto.search_hash("Anna") != derived


def test_person_search_hashes_cover_every_name_part_and_alias():
    name_hash, tokens = crypto.person_search_hashes("Anna Maria", "Example", ["Ani Ex"])

    assert name_hash == crypto.search_hash("anna maria example")
    for part in ("anna", "maria", "example", "ani", "ex"):
        assert f" {crypto.name_token_hashes(part)[0]} " in tokens
    assert crypto.person_search_hashes("", "", []) == ("", "")


# --- the encrypted fields -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_fields_store_tokens_and_give_back_clear_text():
    person = make_person(
        given_names="Anna",
        family_name="Example",
        aliases=["Ani"],
        phone="+358 40 1234567",
        email="anna@example.org",
        address="Katu 1",
        personal_identity_code="131052-308T",
    )

    stored = raw_person(person)
    assert all(value.startswith("gAAAAA") for value in stored.values()), stored
    person = reload(person)
    assert (person.given_names, person.family_name, person.aliases) == ("Anna", "Example", ["Ani"])
    assert (person.phone, person.email, person.address) == (
        "+358 40 1234567",
        "anna@example.org",
        "Katu 1",
    )
    assert person.personal_identity_code == "131052-308T"


@pytest.mark.django_db
def test_empty_identifiers_are_stored_empty():
    person = make_person(given_names="Anna", family_name="Example")

    stored = raw_person(person)
    assert stored["phone"] == stored["aliases"] == stored["personal_identity_code"] == ""
    assert reload(person).aliases == []


@pytest.mark.django_db
def test_an_encrypted_field_cannot_be_filtered_on():
    with pytest.raises(FieldError):
        list(Person.objects.filter(family_name="Example"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(family_name__icontains="Ex"))
    assert list(Person.objects.filter(family_name__isnull=True)) == []


@pytest.mark.django_db
def test_an_encrypted_field_validates_the_clear_text_length():
    field = Person._meta.get_field("personal_identity_code")
    with pytest.raises(Exception, match="at most 11 characters"):
        field.clean("x" * 12, None)


# --- manage.py rotate_encryption_key ------------------------------------------------------


@pytest.mark.django_db
def test_rotation_re_encrypts_every_value_with_the_newest_key():
    with override_settings(NAS_ENCRYPTION_KEYS=[OLD_KEY]):
        people = [
            make_person(given_names=f"Anna{i}", family_name="Example", aliases=["Ani"])
            for i in range(5)
        ]
    out = io.StringIO()

    with override_settings(NAS_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY], NAS_SEARCH_KEY=None):
        call_command("rotate_encryption_key", batch_size=2, stdout=out)

        only_new = Fernet(NEW_KEY)
        for person in people:
            stored = raw_person(person)
            assert only_new.decrypt(stored["given_names"].encode()).startswith(b"Anna")
            assert only_new.decrypt(stored["family_name"].encode()) == b"Example"
            assert only_new.decrypt(stored["aliases"].encode()) == b'["Ani"]'
            # The search key is derived from the newest key here: the hashes follow it.
            assert reload(person).name_hash == crypto.search_hash(
                f"Anna{people.index(person)} Example"
            )
        # And so does the search index: the new hashes find the people, the old ones are gone.
        tokens = set(PersonNameToken.objects.values_list("token", flat=True))
        assert tokens == set(crypto.name_token_hashes("Anna0 Anna1 Anna2 Anna3 Anna4 Example Ani"))
    with override_settings(NAS_ENCRYPTION_KEYS=[NEW_KEY]):
        assert reload(people[0]).given_names == "Anna0"
    assert "people.Person: 5 of 5" in out.getvalue()


@pytest.mark.django_db
def test_rotation_is_audited():
    from nas.audit.models import AuditEvent

    make_person()
    call_command("rotate_encryption_key", stdout=io.StringIO())

    event = AuditEvent.objects.filter(action="encryption.rotate").get()
    assert event.changes["people.Person"] == 1


def test_a_model_form_limits_the_clear_text_length():
    from django import forms

    class PersonForm(forms.ModelForm):
        class Meta:
            model = Person
            fields = ["given_names", "aliases", "email"]

    form = PersonForm(data={"given_names": "x" * 201, "aliases": '["Ani"]', "email": "nope"})

    assert getattr(form.fields["given_names"], "max_length", None) == 200
    assert not form.is_valid()
    assert set(form.errors) == {"given_names", "email"}
