import QtQuick
import "."

// A rating face for level 1..5: the mouth's curve carries the meaning (not only the colour).
Canvas {
    id: face
    property int level: 3
    property bool selected: false
    readonly property color tint: level >= 4 ? Theme.ok : level === 3 ? Theme.warn : Theme.accent
    onLevelChanged: requestPaint()
    onSelectedChanged: requestPaint()
    onWidthChanged: requestPaint()
    onPaint: {
        var ctx = getContext("2d");
        var s = Math.min(width, height);
        ctx.reset();
        ctx.lineWidth = Math.max(3, s * 0.05);
        ctx.strokeStyle = tint;
        ctx.fillStyle = selected ? Qt.lighter(tint, 1.9) : "#FFFFFF";
        ctx.beginPath();
        ctx.arc(width / 2, height / 2, s * 0.45, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = tint;
        ctx.beginPath(); ctx.arc(width / 2 - s * 0.15, height / 2 - s * 0.1, s * 0.05, 0, 2 * Math.PI); ctx.fill();
        ctx.beginPath(); ctx.arc(width / 2 + s * 0.15, height / 2 - s * 0.1, s * 0.05, 0, 2 * Math.PI); ctx.fill();
        var curve = (level - 3) * 0.09 * s;   // smile up, frown down
        var y = height / 2 + s * 0.18;
        ctx.beginPath();
        ctx.moveTo(width / 2 - s * 0.2, y - curve / 2);
        ctx.quadraticCurveTo(width / 2, y + curve * 1.5, width / 2 + s * 0.2, y - curve / 2);
        ctx.stroke();
    }
}
