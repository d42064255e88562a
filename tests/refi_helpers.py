"""Build REFI-QDA archives (.qdpx) the way other tools write them, and read any .qdpx back into plain,
comparable values (for round-trip tests)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

NS = "urn:QDA-XML:project:1.0"
Q = {"q": NS}


def utf16_position(text: str, index: int) -> int:
    """Where NVivo says ``text[index]`` is: UTF-16 code units before it."""
    return len(text[:index].encode("utf-16-le")) // 2


def write_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes]) -> Path:
    """A zip with ``project.qde`` and the given members."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def selection(guid: str, start: int, end: int, user: str, codes: list[str], notes: tuple[str, ...] = ()) -> str:
    codings = "".join(f'<Coding guid="{guid}-k{i}" creatingUser="{user}" creationDateTime="2024-05-02T10:00:00Z">'
                      f'<CodeRef targetGUID="{code}"/></Coding>' for i, code in enumerate(codes))
    refs = "".join(f'<NoteRef targetGUID="{n}"/>' for n in notes)
    return (f'<PlainTextSelection guid="{guid}" name="" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}">{codings}{refs}</PlainTextSelection>')


NVIVO_TEXT = ("Intervjuare: Hur gick det i början? 😀\r\n"
              "SE-coach: Bra 👍🏽 men jag var ensam i rollen.\r\n"
              "Intervjuare: Fick du stöd?\r\n"
              "SE-coach: Nätverket 🙂 hjälpte mig mycket. Chefen 🎉 också!\r\n")
#: the words each NVivo selection covers
NVIVO_WORDS = ["Bra 👍🏽 men", "ensam i rollen", "Nätverket 🙂 hjälpte", "Chefen 🎉 också!", "stöd"]


def nvivo_qdpx(path: Path) -> Path:
    """NVivo's way: ``Sources/``, UTF-8 with BOM, CRLF, positions in UTF-16 code units."""
    sels = []
    for i, words in enumerate(NVIVO_WORDS):
        at = NVIVO_TEXT.index(words)
        sels.append(selection(f"a0000000-0000-4000-8000-00000000000{i}", utf16_position(NVIVO_TEXT, at),
                              utf16_position(NVIVO_TEXT, at + len(words)), "u-nv",
                              ["c-hinder" if "ensam" in words else "c-stod"]))
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Studie" origin="NVivo 14.23.0 (Windows)">
  <Users><User guid="u-nv" name="Lena Berg"/></Users>
  <CodeBook><Codes>
    <Code guid="c-stod" name="Stöd" isCodable="true" color="#2E7D32">
      <Description>Stöd av något slag</Description></Code>
    <Code guid="c-hinder" name="Hinder" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="s-nv" name="Intervju Aneby" plainTextPath="internal://s-nv.txt">{''.join(sels)}</TextSource>
  </Sources>
</Project>"""
    return write_qdpx(path, qde, {"Sources/s-nv.txt": "\ufeff".encode() + NVIVO_TEXT.encode("utf-8")})


QUALCODER_TEXT = "I: Hur började det?\nIP: Med ett möte 🙂 hos chefen.\nI: Och sen?\nIP: Sen kom pengarna.\n"


def qualcoder_qde(*, extra_selection: str = "", code_ref: str = "c2", sets: str = "<Sets/>") -> str:
    """QualCoder's way: ``sources/``, code points, a case with variables, notes, an empty ``<Sets/>``,
    a PDF and a missing text (both skipped)."""
    t = QUALCODER_TEXT
    s1 = selection("b0000000-0000-4000-8000-000000000001", t.index("Med ett möte"), t.index(" hos chefen"), "u1",
                   ["c1"], notes=("n-sel",))
    s2 = selection("b0000000-0000-4000-8000-000000000002", t.index("Sen kom"), t.index("pengarna.") + 9, "u2",
                   [code_ref])
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="qc" origin="QualCoder 3.6">
  <Users><User guid="u1" name="lena"/><User guid="u2" name="Erik"/></Users>
  <CodeBook><Codes>
    <Code guid="c0" name="Faktorer" isCodable="false">
      <Code guid="c1" name="Möten" isCodable="true" color="#1f77b4"><NoteRef targetGUID="n-code"/></Code>
      <Code guid="c2" name="Pengar" isCodable="true"/>
    </Code>
  </Codes>{sets}</CodeBook>
  <Variables><Variable guid="v1" name="kommun" typeOfVariable="Text"/>
    <Variable guid="v2" name="antal" typeOfVariable="Integer"/></Variables>
  <Cases><Case guid="k1" name="Vaggeryd"><VariableValue><VariableRef targetGUID="v1"/><TextValue>Vaggeryd</TextValue>
    </VariableValue><SourceRef targetGUID="s1"/></Case></Cases>
  <Sources>
    <TextSource guid="s1" name="vaggeryd_chef.txt" plainTextPath="internal://s1.txt">
      {s1}{s2}{extra_selection}
      <VariableValue><VariableRef targetGUID="v2"/><IntegerValue>3</IntegerValue></VariableValue>
      <NoteRef targetGUID="n-src"/>
    </TextSource>
    <PDFSource guid="s2" name="rapport.pdf" path="internal://s2.pdf"><NoteRef targetGUID="n-pdf"/></PDFSource>
    <TextSource guid="s3" name="saknas.txt" plainTextPath="relative:///gone.txt"/>
    <AudioSource guid="s4" name="intervju.m4a" path="internal://s4.m4a"/>
  </Sources>
  <Notes>
    <Note guid="n-sel" name="m1" creatingUser="u1"><PlainTextContent>Mötet var avgörande</PlainTextContent></Note>
    <Note guid="n-code" name="m2" creatingUser="u2"><PlainTextContent>Om möten</PlainTextContent></Note>
    <Note guid="n-src" name="m3" creatingUser="u1"><PlainTextContent>Bra intervju</PlainTextContent></Note>
    <Note guid="n-proj" name="m4" creatingUser="u2">
      <PlainTextContent>&lt;b&gt;Projektets&lt;/b&gt; memo</PlainTextContent></Note>
    <Note guid="n-pdf" name="m5" creatingUser="u1"><PlainTextContent>Läs sidan 3</PlainTextContent></Note>
  </Notes>
  <NoteRef targetGUID="n-proj"/>
</Project>"""


def qualcoder_qdpx(path: Path, **options) -> Path:
    return write_qdpx(path, qualcoder_qde(**options), {"sources/s1.txt": QUALCODER_TEXT.encode("utf-8"),
                                                       "sources/s2.pdf": b"%PDF-1.4 not really"})


# ------------------------------------------------------------------ reading any .qdpx back, for comparison

def _local(el) -> str:
    return etree.QName(el).localname


def contents(path: Path) -> dict:
    """A .qdpx as comparable values: codebook tree, users, and per source its text, attributes, codings
    ``(start, end, user, code GUID, memo)``, selection memos and source memos; code, project memos."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        files = {n: archive.read(n) for n in archive.namelist()}
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", Q)}
    notes = {n.get("guid"): ("".join(n.find("q:PlainTextContent", Q).itertext()), users.get(n.get("creatingUser")))
             for n in root.iterfind("q:Notes/q:Note", Q)}
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", Q)}

    def refs(el):
        return sorted(notes[r.get("targetGUID")] for r in el.iterfind("q:NoteRef", Q))

    def code(el):
        description = el.find("q:Description", Q)
        return (el.get("guid"), el.get("name"), el.get("color"), None if description is None else description.text,
                tuple(refs(el)), tuple(code(c) for c in el.iterfind("q:Code", Q)))

    sources = {}
    for s in root.iterfind("q:Sources/q:TextSource", Q):
        text = files["sources/" + s.get("plainTextPath").removeprefix("internal://")].decode("utf-8")
        codings, selection_memos = set(), set()
        for sel in s.iterfind("q:PlainTextSelection", Q):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for c in sel.iterfind("q:Coding", Q):
                codings.add((start, end, users[c.get("creatingUser")], c.find("q:CodeRef", Q).get("targetGUID"),
                             tuple(refs(c))))
            for memo in refs(sel):
                selection_memos.add((start, end, users[sel.get("creatingUser")], memo))
        attributes = {variables[v.find("q:VariableRef", Q).get("targetGUID")]: v.find("q:TextValue", Q).text
                      for v in s.iterfind("q:VariableValue", Q)}
        sources[s.get("name")] = {"text": text, "attributes": attributes, "codings": codings,
                                  "selection_memos": selection_memos, "memos": refs(s)}
    codebook = tuple(code(c) for c in root.iterfind("q:CodeBook/q:Codes/q:Code", Q))
    cases = sorted((c.get("name"), tuple(sorted(r.get("targetGUID") for r in c.iterfind("q:SourceRef", Q))))
                   for c in root.iterfind("q:Cases/q:Case", Q))
    return {"users": sorted(users.values()), "codebook": codebook, "project_memos": refs(root), "sources": sources,
            "cases": cases}

