import QtQuick
import "."

// A status pill: text plus a shape cue, so colour is never the only signal.
Rectangle {
    id: badge
    property string text: ""
    property bool good: true
    radius: height / 2
    color: good ? "#E3F3E8" : "#FBE4E2"
    border.color: good ? Theme.ok : Theme.accent
    border.width: 2
    implicitHeight: label.implicitHeight + 16
    implicitWidth: label.implicitWidth + 56

    Text {
        anchors.left: parent.left
        anchors.leftMargin: 18
        anchors.verticalCenter: parent.verticalCenter
        text: badge.good ? "●" : "✕"
        color: badge.good ? Theme.ok : Theme.accent
        font.pixelSize: Theme.small
        font.family: Theme.font
    }
    Text {
        id: label
        anchors.right: parent.right
        anchors.rightMargin: 18
        anchors.verticalCenter: parent.verticalCenter
        text: badge.text
        color: badge.good ? Theme.ok : Theme.accent
        font.pixelSize: Theme.small
        font.family: Theme.font
        font.bold: true
    }
}
