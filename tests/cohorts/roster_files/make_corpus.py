"""Writes the small roster files of this folder (run it again after changing a case):

    .venv/bin/python tests/cohorts/roster_files/make_corpus.py

The 10,000-row and 20 MB cases are built by the tests at run time, not kept here. The XLSX with
formulas gets the values a spreadsheet program saves next to each formula (openpyxl itself
writes formulas without them: ``formulas_not_computed.xlsx`` is that case).
"""

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def csv_text(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """Add the saved result next to each formula, as Excel and LibreOffice do."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                for ref, value in values.items():
                    text = re.sub(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                                  rf'<c r="{ref}" t="str"><f>\2</f><v>{value}</v>', text)
                body = text.encode()
            target.writestr(item, body)
    return out.getvalue()


def xlsx_roster(*, cached: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Liste des participants — atelier de Dakar"
    sheet.merge_cells("A1:D1")
    # row 2 empty
    sheet.append([])
    sheet.append(["Courriel", "Prénom", "Nom", "Nom complet"])  # row 3
    sheet.append(["fatou.sow@example.org", "Fatou", "Sow", '=B4&" "&C4'])  # 4
    sheet.append([])  # 5 empty
    sheet.append(["moussa.keita@example.org", "Moussa", "Keïta", '=B6&" "&C6'])  # 6
    sheet.append(["awa.traore@example.org", "Awa", "Traoré", "Awa Traoré"])  # 7
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if cached:
        data = with_cached_values(data, {"D4": "Fatou Sow", "D6": "Moussa Keïta"})
    return data


def main() -> None:
    write("utf8_comma.csv", csv_text([
        "E-mail,Full name,Language",
        "amina.diallo@example.org,Amina Diallo,fr",
        "youssef.benali@example.org,يوسف بن علي,ar",
        "grace.mensah@example.org,Grace Mensah,en",
    ]).encode("utf-8"))
    write("utf8_bom_semicolon.csv", ("\ufeff" + csv_text([
        "Courriel;Nom complet;Langue",
        "chloe.leroy@example.org;Chloé Leroy;français",
        "hafsa.ait@example.org;Hafsa Aït Ahmed;",
    ])).encode("utf-8"))
    write("cp1252_semicolon.csv", csv_text([
        "Adresse e-mail;Nom et prénom",
        "helene.kone@example.org;Hélène Koné",
        "francois.mbarga@example.org;François Mbarga",
        "oceane.gueye@example.org;Océane Guèye",
    ]).encode("cp1252"))
    write("odd_headers.csv", csv_text([
        "  E-MAIL  ,  nom   COMPLET ,LANGUE ,Téléphone",
        "ibrahima.ndiaye@example.org , Ibrahima   Ndiaye ,AR,+221 77 000 00 00",
        ",,,",
        "mariam.coulibaly@example.org,Mariam Coulibaly,,",
    ]).encode("utf-8"))
    write("arabic_headers.csv", csv_text([
        "البريد الإلكتروني,الاسم الكامل,اللغة",
        "salma.idrissi@example.org,سلمى الإدريسي,العربية",
    ]).encode("utf-8"))
    write("missing_column.csv", csv_text([
        "E-mail,Téléphone",
        "someone@example.org,+212 600 000 000",
    ]).encode("utf-8"))
    write("invalid_emails.csv", csv_text([
        "E-mail,Full name,Language",
        "valid.person@example.org,Valid Person,",
        "not-an-email,Sans Arobase",
        "two@@example.org,Double Arobase",
        "spaced name@example.org,Espace Dedans",
        "bidi\u202e@example.org,Bidi Control",
        "name.bad@example.org,<b>Markup</b>",
        ",Nobody",
        "no.name@example.org,",
        "lang.bad@example.org,Bad Language,klingon",
    ]).encode("utf-8"))
    write("duplicates.csv", csv_text([
        "E-mail,Full name",
        "dup.person@example.org,Dup Person",
        "member.already@example.org,Member Already",
        "Dup.Person@Example.org,Dup Person Again",
        "new.person@example.org,New Person",
    ]).encode("utf-8"))
    write("image.csv", png())
    write("roster.xlsx", xlsx_roster(cached=True))
    write("formulas_not_computed.xlsx", xlsx_roster(cached=False))


if __name__ == "__main__":
    main()
