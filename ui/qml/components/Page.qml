import QtQuick
import QtQuick.Layouts
import "."

// Every citizen screen: header, a title bar with "home" and (elderly mode) "read aloud",
// then the screen's own content filling the rest.
Item {
    id: page
    property string title: ""
    property string voice: ""
    property bool showHome: true
    property bool showHeader: true
    default property alias content: body.data

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Header { Layout.fillWidth: true; visible: page.showHeader }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.targetMin + Theme.gap
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 2; color: Theme.line }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.gap
                anchors.rightMargin: Theme.gap
                anchors.topMargin: Theme.gap / 2
                anchors.bottomMargin: Theme.gap / 2
                spacing: Theme.gap
                ActionButton {
                    objectName: "homeButton"
                    visible: page.showHome
                    kind: "secondary"
                    text: "‹ " + tr.s["common.home"]
                    Layout.fillHeight: true
                    onClicked: ui.goHome()
                }
                T {
                    Layout.fillWidth: true
                    text: page.title
                    font.pixelSize: Theme.title
                    font.bold: true
                    elide: Text.ElideRight
                    maximumLineCount: 1
                }
                ActionButton {
                    objectName: "readAloud"
                    visible: Theme.elderly && page.voice !== ""
                    kind: "secondary"
                    text: tr.s["common.read_aloud"]
                    Layout.fillHeight: true
                    onClicked: ui.speak(page.voice)
                }
            }
        }
        Item {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap
        }
    }
    Component.onCompleted: if (Theme.elderly && voice !== "") ui.speak(voice)
}
