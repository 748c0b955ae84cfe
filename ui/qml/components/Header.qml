import QtQuick
import QtQuick.Layouts
import "."

// Hall name, date and clock, online badge. Same on every citizen screen.
Rectangle {
    id: header
    color: Theme.primary
    // what this device is: the citizen's kiosk, or the clerk's caller
    property string subtitle: tr.s["app.title"]
    implicitHeight: Math.round((Theme.portrait ? 150 : 120) * (Theme.elderly ? 1.2 : 1.0))

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.gap * 1.5
        anchors.rightMargin: Theme.gap * 1.5
        spacing: Theme.gap

        Column {
            Layout.fillWidth: true
            spacing: 4
            // A long hall name gets a smaller font, then a second line; never cut.
            TextMetrics {
                id: hallMetrics
                font.family: Theme.font
                font.bold: true
                font.pixelSize: Theme.title
                text: hallName.text
            }
            Text {
                id: hallName
                objectName: "hallName"
                width: parent.width
                text: tr.lang === "zh" ? ui.hallNameZh : ui.hallNameEn
                color: Theme.textOnPrimary
                font.pixelSize: hallMetrics.width <= width ? Theme.title
                                : Math.max(Theme.body, Math.floor(Theme.title * width / hallMetrics.width))
                font.family: Theme.font
                font.bold: true
                wrapMode: Text.WordWrap
                maximumLineCount: 2
                lineHeight: 0.95
                elide: Text.ElideRight
            }
            Text {
                text: header.subtitle
                color: "#D6E4F5"
                font.pixelSize: Theme.small
                font.family: Theme.font
            }
        }
        Badge {
            text: ui.online ? tr.s["common.online"] : tr.s["common.offline"]
            good: ui.online
        }
        Column {
            Text {
                anchors.right: parent.right
                text: ui.time
                color: Theme.textOnPrimary
                font.pixelSize: Theme.title
                font.family: Theme.font
                font.bold: true
            }
            Text {
                anchors.right: parent.right
                text: ui.date
                color: "#D6E4F5"
                font.pixelSize: Theme.small
                font.family: Theme.font
            }
        }
    }
}
