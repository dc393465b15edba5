"""PDF documents load nothing from outside, and a URL in the data does not break them."""

from __future__ import annotations

from nas.common import pdf


def test_a_document_with_urls_is_made_without_fetching_any(monkeypatch):
    asked = []
    refuse = pdf.RefuseEveryURL.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return refuse(self, url, headers)

    monkeypatch.setattr(pdf.RefuseEveryURL, "fetch", spy)
    html = (
        '<p>Statement<img src="http://127.0.0.1:9/x.png"></p>'
        '<link rel="stylesheet" href="file:///etc/passwd">'
    )

    document = pdf.html_to_pdf(html, stylesheets=[])

    assert document.startswith(b"%PDF-")
    assert "http://127.0.0.1:9/x.png" in asked
