import QtQuick
import "."

// A drawn picture of what a person holds: an ID card, a QR code, a social-security card.
// Drawn (not a text glyph such as ▭ or ▦), so it looks the same in every font.
Canvas {
    id: icon
    property string kind: "id_card"
    property color tint: Theme.primary
    implicitWidth: 64
    implicitHeight: 64
    onKindChanged: requestPaint()
    onTintChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()
    onPaint: {
        var ctx = getContext("2d");
        var s = Math.min(width, height);
        var x0 = (width - s) / 2, y0 = (height - s) / 2;
        ctx.reset();
        ctx.strokeStyle = tint;
        ctx.fillStyle = tint;
        ctx.lineWidth = Math.max(2, s * 0.06);
        function card() {
            ctx.beginPath();
            ctx.roundedRect(x0 + s * 0.05, y0 + s * 0.2, s * 0.9, s * 0.6, s * 0.08, s * 0.08);
            ctx.stroke();
        }
        if (kind === "qr") {
            var m = s * 0.3;
            [[0, 0], [s - m, 0], [0, s - m]].forEach(function (p) {
                ctx.strokeRect(x0 + p[0] + ctx.lineWidth / 2, y0 + p[1] + ctx.lineWidth / 2, m - ctx.lineWidth, m - ctx.lineWidth);
                ctx.fillRect(x0 + p[0] + m * 0.3, y0 + p[1] + m * 0.3, m * 0.4, m * 0.4);
            });
            var c = s * 0.1;
            [[0.45, 0.45], [0.65, 0.5], [0.5, 0.7], [0.75, 0.75], [0.85, 0.6], [0.6, 0.85]].forEach(function (p) {
                ctx.fillRect(x0 + s * p[0], y0 + s * p[1], c, c);
            });
        } else if (kind === "ss_card") {
            card();
            ctx.beginPath();   // the chip
            ctx.roundedRect(x0 + s * 0.17, y0 + s * 0.36, s * 0.2, s * 0.16, s * 0.03, s * 0.03);
            ctx.fill();
            ctx.fillRect(x0 + s * 0.5, y0 + s * 0.4, s * 0.33, s * 0.05);
            ctx.fillRect(x0 + s * 0.5, y0 + s * 0.55, s * 0.25, s * 0.05);
        } else {
            card();
            ctx.beginPath();   // the photo
            ctx.arc(x0 + s * 0.72, y0 + s * 0.42, s * 0.08, 0, 2 * Math.PI);
            ctx.fill();
            ctx.fillRect(x0 + s * 0.62, y0 + s * 0.52, s * 0.2, s * 0.12);
            ctx.fillRect(x0 + s * 0.15, y0 + s * 0.35, s * 0.35, s * 0.05);
            ctx.fillRect(x0 + s * 0.15, y0 + s * 0.48, s * 0.3, s * 0.05);
            ctx.fillRect(x0 + s * 0.15, y0 + s * 0.61, s * 0.35, s * 0.05);
        }
    }
}
