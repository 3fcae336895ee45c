#!/usr/bin/env python3
"""Writes the made files of tests/corpus/made/: PDFs whose page geometry real files combine
and the suites lack in one place. Plain Python, no libraries, deterministic output:

    python3 tests/corpus-make/geometry.py tests/corpus/made

- rotated-crop-form.pdf: a /Rotate 90 letter page with a CropBox smaller than its MediaBox,
  a red bar outside the CropBox (hidden in the original), content to the visual bottom, text
  fields whose widgets sit on drawn boxes, a link over its text, an ink mark in the bottom
  margin, a note with its popup, a highlight, a line and a polygon drawn by the viewer.
- hidden-layer.pdf: a grey "photo" with dark squares in a layer the default view hides
  (/BaseState /OFF), and a caption in a layer it shows.
- need-appearances.pdf: a filled form whose fields have values but no appearance streams
  (/NeedAppearances true: the viewer draws them from /DA and /DR), on a page whose content
  reaches its foot.
- unbalanced.pdf: two pages painted to their foot, one leaving a graphics state saved at its
  end (an open q), one restoring a state it never saved (a stray Q).
- userunit-ink.pdf: a /UserUnit 2 page whose only mark in the bottom margin is an ink
  annotation, and a 200 x 50 pt label with a link.
- shared-form.pdf: two pages listing the same array of widgets (a text field that is its own
  widget, with its own /DA, and a widget under a field that inherits the form's /DA), one page
  painted to its foot (shrunk in the packet), the other not (left as it is).
"""

import os
import sys


def pdf(objects):
    """The file for `objects` (1-based: objects[0] is object 1; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def rotated_crop_form():
    # Page content: a frame of boxes over the whole MediaBox; fields sit on three of them.
    boxes = [(72, 600, 220, 24), (72, 540, 220, 24), (72, 480, 220, 24)]
    ops = [b"1 0 0 rg 0 0 612 30 re f", b"0 0 0 RG 1 w"]
    for i, (x, y, w, h) in enumerate(boxes):
        ops.append(b"%d %d %d %d re S" % (x, y, w, h))
        ops.append(b"BT /F1 10 Tf %d %d Td (Field %d) Tj ET" % (x, y + h + 4, i + 1))
    ops.append(b"BT /F1 12 Tf 72 420 Td (See the rules at example.org) Tj ET")
    ops.append(b"0 0 1 rg 40 40 532 8 re f")  # a rule along the CropBox's lower edge
    for k in range(6):
        ops.append(b"BT /F1 11 Tf %d 60 Td (Column %d) Tj ET" % (60 + 90 * k, k + 1))
    content = b"\n".join(ops)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs = [None] * 20
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 7 0 R 8 0 R] /DA (/Helv 10 Tf 0 g) /DR << /Font << /Helv 5 0 R >> >> >> >>"
    objs[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    annots = b"[6 0 R 7 0 R 8 0 R 12 0 R 13 0 R 15 0 R 16 0 R 17 0 R 18 0 R 19 0 R]"
    objs[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /CropBox [36 36 576 756] /Rotate 90 "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots " + annots + b" >>"
    )
    objs[3] = stream(content)
    objs[4] = font
    for i, (x, y, w, h) in enumerate(boxes):
        value = b"Value %d" % (i + 1)
        objs[5 + i] = (
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (field%d) /V (%s) /F 4 /P 3 0 R "
            b"/Rect [%d %d %d %d] /DA (/Helv 10 Tf 0 g) /AP << /N %d 0 R >> >>" % (i + 1, value, x, y, x + w, y + h, 9 + i)
        )
        ap = b"/Tx BMC q 0.9 0.9 1 rg 0 0 %d %d re f BT /Helv 10 Tf 0 g 4 7 Td (%s) Tj ET Q EMC" % (w, h, value)
        objs[8 + i] = stream(ap, b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources << /Font << /Helv 5 0 R >> >> " % (w, h))
    objs[11] = b"<< /Type /Annot /Subtype /Link /Rect [72 416 300 432] /Border [0 0 1] /A << /S /URI /URI (https://example.org/) >> >>"
    ink = b"q 0 0.5 0 RG 2 w 10 10 m 60 30 l 110 12 l S Q"
    objs[12] = (
        b"<< /Type /Annot /Subtype /Ink /F 4 /Rect [400 38 520 68] /C [0 0.5 0] "
        b"/InkList [[410 48 460 68 510 50]] /AP << /N 14 0 R >> >>"
    )
    objs[13] = stream(ink, b"/Type /XObject /Subtype /Form /BBox [0 0 120 30] ")
    objs[16] = b"<< /Type /Annot /Subtype /Highlight /F 4 /Rect [70 414 302 434] /C [1 1 0] /QuadPoints [70 434 302 434 70 414 302 414] >>"
    objs[17] = b"<< /Type /Annot /Subtype /Line /F 4 /Rect [300 300 520 380] /C [1 0 0] /L [310 310 510 370] >>"
    objs[18] = b"<< /Type /Annot /Subtype /Polygon /F 4 /Rect [330 150 530 260] /C [0 0 1] /Vertices [340 160 520 170 430 250] >>"
    objs[14] = b"<< /Type /Annot /Subtype /Text /F 4 /Rect [320 600 340 620] /Contents (Checked) /Popup 16 0 R /C [1 1 0] >>"
    objs[15] = b"<< /Type /Annot /Subtype /Popup /Rect [340 560 480 620] /Parent 15 0 R >>"
    return pdf([o for o in objs if o is not None])


def hidden_layer():
    grey = [b"%.2f g %d %d 612 40 re f" % (0.4 + 0.025 * k, 0, 40 * k) for k in range(20)]
    squares = [b"0.1 g %d %d 80 80 re f" % (100 + 150 * (k % 3), 150 + 200 * (k // 3)) for k in range(6)]
    content = (
        b"\n".join(grey)
        + b"\n/OC /Hidden BDC\n"
        + b"\n".join(squares)
        + b"\nEMC\n/OC /Shown BDC\nBT /F1 18 Tf 1 g 72 740 Td (Wound, day 3) Tj ET\nEMC"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [5 0 R 6 0 R] "
        b"/D << /BaseState /OFF /ON [6 0 R] /Order [6 0 R 5 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 7 0 R >> /Properties << /Hidden 5 0 R /Shown 6 0 R >> >> >>",
        stream(content),
        b"<< /Type /OCG /Name (Markup) >>",
        b"<< /Type /OCG /Name (Caption) >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf(objs)


def need_appearances():
    boxes = [(72, 640, 300, 24, b"Jane Q. Member"), (72, 580, 300, 24, b"XJH123456789"), (72, 520, 300, 24, b"2025-09-10")]
    ops = [b"0 0 0 RG 1 w 20 20 572 752 re S"]
    for i, (x, y, w, h, _) in enumerate(boxes):
        ops.append(b"%d %d %d %d re S" % (x, y, w, h))
        ops.append(b"BT /F1 9 Tf %d %d Td (Box %d) Tj ET" % (x, y + h + 3, i + 1))
    ops.append(b"BT /F1 9 Tf 72 26 Td (Form 123-A, revised 2024) Tj ET")
    fields = b" ".join(b"%d 0 R" % (6 + i) for i in range(len(boxes)))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + fields + b"] /NeedAppearances true "
        b"/DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 5 0 R >> >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots [" + fields + b"] >>",
        stream(b"\n".join(ops)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, (x, y, w, h, value) in enumerate(boxes):
        objs.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (f%d) /V (%s) /F 4 /P 3 0 R /Rect [%d %d %d %d] >>"
            % (i + 1, value, x, y, x + w, y + h)
        )
    return pdf(objs)


def unbalanced():
    # Page 1 leaves a saved state open; page 2 restores one it never saved, at its end (poppler
    # stops drawing a page at a stray restore, so nothing follows it).
    open_save = b"q q 0.2 0.4 0.8 rg 0 0 612 792 re f\n1 0 0 rg 100 100 200 200 re f\nBT /F1 24 Tf 1 g 120 700 Td (Left open) Tj ET Q"
    stray = b"0.2 0.6 0.4 rg 0 0 612 792 re f\nBT /F1 24 Tf 1 g 120 700 Td (Stray restore) Tj ET\nQ"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(open_save),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(stray),
    ]
    return pdf(objs)


def userunit_ink():
    text = b"BT /F1 14 Tf 36 340 Td (Measured in units of 2 pt) Tj ET\n0 0 0 RG 36 200 234 60 re S"
    label = b"BT /F1 12 Tf 10 20 Td (Label: see example.org) Tj ET\n0 0 0 RG 2 2 196 46 re S"
    ink = b"q 1 0 0 RG 1 w 2 2 m 40 14 l 78 4 l S Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 306 396] /UserUnit 2 /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>",
        stream(text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Annot /Subtype /Ink /F 4 /Rect [100 4 180 20] /C [1 0 0] /InkList [[102 6 140 18 178 8]] /AP << /N 7 0 R >> >>",
        stream(ink, b"/Type /XObject /Subtype /Form /BBox [0 0 80 16] "),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 9 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots [10 0 R] >>",
        stream(label),
        b"<< /Type /Annot /Subtype /Link /Rect [80 16 180 34] /Border [0 0 1] /A << /S /URI /URI (https://example.org/) >> >>",
    ]
    return pdf(objs)


def shared_form():
    boxes = b"0 0 0 RG 1 w 72 640 300 24 re S 72 580 300 24 re S"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 7 0 R] /NeedAppearances true "
        b"/DA (/Helv 10 Tf 0 g) /DR << /Font << /Helv 5 0 R >> >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots 10 0 R >>",
        stream(boxes + b"\n20 20 572 752 re S BT /F1 9 Tf 72 26 Td (Form 88-B, page 1) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Jane Q. Member) /DA (/Helv 12 Tf 0 g) "
        b"/F 4 /Rect [72 640 372 664] >>",
        b"<< /FT /Tx /T (id) /V (XJH123456789) /Kids [8 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /Parent 7 0 R /F 4 /Rect [72 580 372 604] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 11 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots 10 0 R >>",
        b"[6 0 R 8 0 R]",
        stream(boxes),
    ]
    return pdf(objs)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/corpus/made"
    os.makedirs(out, exist_ok=True)
    for name, make in [("rotated-crop-form.pdf", rotated_crop_form), ("hidden-layer.pdf", hidden_layer), ("need-appearances.pdf", need_appearances), ("unbalanced.pdf", unbalanced), ("userunit-ink.pdf", userunit_ink), ("shared-form.pdf", shared_form)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
