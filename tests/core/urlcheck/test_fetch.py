"""One URL: HEAD first and GET only when HEAD cannot tell, bodies read up to a cap, titles."""

from werkzeug import Request, Response

from pipeline.core.models import Status
from pipeline.core.urlcheck import extract_title
from tests.core.urlcheck.servers import HTML, make_checker, methods, page


def test_a_pdf_is_checked_with_head_alone(server):
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    result = make_checker().check_one(server.url_for("/report.pdf"))
    assert result.status == Status.OK
    assert result.content_type == "application/pdf"
    assert methods(server, "/report.pdf") == ["HEAD"]


def test_405_to_head_then_200_to_get_is_ok(server):
    server.expect_request("/nohead", method="HEAD").respond_with_data("", status=405)
    server.expect_request("/nohead", method="GET").respond_with_data(page("Fine"), content_type=HTML)
    result = make_checker().check_one(server.url_for("/nohead"))
    assert result.status == Status.OK
    assert result.page_title == "Fine"
    assert methods(server, "/nohead") == ["HEAD", "GET"]


def test_404_to_head_but_200_to_get_is_ok(server):
    server.expect_request("/quirky", method="HEAD").respond_with_data("", status=404)
    server.expect_request("/quirky", method="GET").respond_with_data(page("Here"), content_type=HTML)
    assert make_checker().check_one(server.url_for("/quirky")).status == Status.OK


def test_a_huge_body_is_read_only_up_to_the_cap(server):
    sent = []

    def huge(request: Request) -> Response:
        def body():
            yield b"<html><head>" + b"<!-- padding -->" * 20000  # 320 KB before the title
            yield b"<title>Too late</title></head><body>"
            for _ in range(800):  # 50 MB more
                sent.append(1)
                yield b"x" * 65536

        return Response(body(), content_type="text/html", direct_passthrough=True)

    server.expect_request("/huge").respond_with_handler(huge)
    result = make_checker(max_body_bytes=256 * 1024).check_one(server.url_for("/huge"))
    assert result.status == Status.OK
    assert result.page_title is None  # the title lies past the cap
    assert len(sent) < 400  # far less than the 800 chunks: we hung up early


def test_the_title_and_first_heading_are_read_whitespace_normalised():
    body = b"<html><head><title>\n  Ports   report\n</title></head><body><h1>Annual <b>review</b></h1></body>"
    assert extract_title(body) == ("Ports report", "Annual review")
    assert extract_title(b"") == (None, None)
    assert extract_title(b"<p>no title</p>") == (None, None)


def test_the_declared_charset_then_the_meta_charset_decode_the_title():
    latin = "<title>Caf\u00e9 r\u00e9sum\u00e9</title>".encode("latin-1")
    assert (
        extract_title(latin, "iso-8859-1", "text/html; charset=iso-8859-1")[0] == "Caf\u00e9 r\u00e9sum\u00e9"
    )
    meta = b'<meta charset="iso-8859-1"><title>Caf\xe9</title>'
    assert extract_title(meta, None, "text/html")[0] == "Caf\u00e9"
    # undecodable as UTF-8 and no charset given: cp1252, never an error
    assert extract_title(b"<title>Caf\xe9</title>")[0] == "Caf\u00e9"


def test_a_title_is_cut_at_500_characters():
    title, _ = extract_title(f"<title>{'x' * 900}</title>".encode())
    assert title == "x" * 500


def test_a_get_body_gives_the_page_title_but_a_head_alone_does_not(server):
    server.expect_request("/plain").respond_with_data(page("Plain text?"), content_type="text/plain")
    result = make_checker().check_one(server.url_for("/plain"))
    assert result.page_title is None  # not HTML: HEAD sufficed, no body read
    assert methods(server, "/plain") == ["HEAD"]
