import QtQuick
import "."

// A plain button: primary (filled), secondary (outlined) or danger. Never smaller than
// Theme.targetMin in either direction; the label carries the meaning, colour only supports it.
Rectangle {
    id: btn
    property string text: ""
    property string kind: "primary"
    property int fontSize: Theme.subtitle
    signal clicked()

    readonly property color base: kind === "primary" ? Theme.primary : kind === "danger" ? Theme.accent
                                  : kind === "ok" ? Theme.ok : Theme.surface
    radius: Theme.radius
    opacity: enabled ? 1.0 : 0.45
    color: tap.pressed ? Qt.darker(base, 1.15) : base
    border.color: kind === "secondary" ? Theme.primary : Qt.darker(base, 1.2)
    border.width: 3
    implicitHeight: Math.max(Theme.targetMin, label.implicitHeight + Theme.gap)
    implicitWidth: Math.max(Theme.targetMin * 2, label.implicitWidth + Theme.gap * 2)

    Text {
        id: label
        anchors.centerIn: parent
        width: Math.min(implicitWidth, btn.width - Theme.gap)
        text: btn.text
        color: btn.kind === "secondary" ? Theme.primary : Theme.textOnPrimary
        font.pixelSize: btn.fontSize
        font.family: Theme.font
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    TapHandler {
        id: tap
        enabled: btn.enabled
        onTapped: btn.clicked()
    }
    Accessible.role: Accessible.Button
    Accessible.name: text
}
