import QtQuick
import "."

// A large touch target with a title and one line of explanation.
Rectangle {
    id: button
    property string title: ""
    property string subtitle: ""
    property color stripe: Theme.primary
    signal clicked()

    radius: Theme.radius
    color: tap.pressed ? "#DCE6F2" : Theme.surface
    border.color: Theme.line
    border.width: 2
    readonly property real contentNeeds: content.implicitHeight + Theme.gap * 2
    implicitHeight: Math.max(Theme.targetMin * 2, contentNeeds)

    Rectangle {
        width: 14
        radius: 7
        color: button.stripe
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.margins: 18
    }
    Column {
        id: content
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: 56
        anchors.rightMargin: 24
        spacing: 8
        Text {
            width: parent.width
            text: button.title
            color: Theme.text
            font.pixelSize: Theme.title
            font.family: Theme.font
            font.bold: true
            wrapMode: Text.WordWrap
        }
        Text {
            width: parent.width
            visible: button.subtitle !== ""
            text: button.subtitle
            color: Theme.textMuted
            font.pixelSize: Theme.body
            font.family: Theme.font
            lineHeight: Theme.lineHeight
            wrapMode: Text.WordWrap
        }
    }
    TapHandler {
        id: tap
        onTapped: button.clicked()
    }
    Accessible.role: Accessible.Button
    Accessible.name: title
}
