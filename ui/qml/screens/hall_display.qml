import QtQuick
import QtQuick.Layouts
import "../components"

// The hall TV: current call huge, recent calls, waiting per category, a scrolling notice, clock.
Rectangle {
    id: hall
    objectName: "hallDisplayScreen"
    color: "#0A2540"
    readonly property var st: hallVm.state
    readonly property bool zh: tr.lang === "zh"
    readonly property color fg: "#FFFFFF"
    readonly property color soft: "#C9D8EA"     // on #0A2540: 11:1
    readonly property color callColor: "#FFD54A"

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Top bar: hall name and clock
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Math.round(120 * Theme.scale)
            color: "#06182B"
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.gap * 2
                anchors.rightMargin: Theme.gap * 2
                Text { Layout.fillWidth: true; text: zh ? ui.hallNameZh : ui.hallNameEn; color: hall.fg; font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true
                       fontSizeMode: Text.HorizontalFit; minimumPixelSize: Theme.body; elide: Text.ElideRight }
                Text { text: ui.date + "  " + ui.time; color: hall.fg; font.family: Theme.font; font.pixelSize: Theme.title; font.bold: true }
            }
        }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap * 1.5
            columns: Theme.portrait ? 1 : 2
            columnSpacing: Theme.gap * 1.5
            rowSpacing: Theme.gap * 1.5

            // Current call
            Rectangle {
                objectName: "currentCall"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3
                Layout.minimumHeight: callCol.implicitHeight + Theme.gap * 2
                radius: Theme.radius
                color: "#0F3560"
                border.color: hall.callColor
                border.width: 6
                Column {
                    id: callCol
                    anchors.centerIn: parent
                    width: parent.width - Theme.gap * 2
                    spacing: Theme.gap
                    Text { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["hall.now_calling"]; color: hall.soft; font.family: Theme.font; font.pixelSize: Theme.title }
                    Text {
                        objectName: "currentNumber"
                        width: parent.width; horizontalAlignment: Text.AlignHCenter
                        text: st.current.number || "—"
                        color: hall.callColor; font.family: Theme.font; font.bold: true
                        font.pixelSize: Math.round((Theme.portrait ? 260 : 240) * Math.min(Theme.scale, 1.2))
                    }
                    // Where to go, readable from where the number is (half the number's size).
                    Text {
                        objectName: "currentCounter"
                        width: parent.width; horizontalAlignment: Text.AlignHCenter; wrapMode: Text.WordWrap
                        visible: st.current.number !== undefined
                        text: tr.s["hall.go_to"].replace("%1", st.current.counter || "")
                        color: hall.fg; font.family: Theme.font; font.bold: true
                        font.pixelSize: Math.round((Theme.portrait ? 260 : 240) * 0.5)
                        lineHeight: 0.95
                    }
                    Text {
                        width: parent.width; horizontalAlignment: Text.AlignHCenter
                        text: ((zh ? st.current.categoryName : st.current.categoryNameEn) || "") + (st.current.online === true ? "  ·  " + tr.s["channel.online"] : "")
                        color: hall.soft; font.family: Theme.font; font.pixelSize: Theme.subtitle
                    }
                }
            }

            // Recent calls + waiting
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 2
                spacing: Theme.gap
                Text { text: tr.s["hall.recent"]; color: hall.soft; font.family: Theme.font; font.pixelSize: Theme.subtitle; font.bold: true }
                GridLayout {
                    Layout.fillWidth: true
                    columns: Theme.portrait ? 3 : 2
                    columnSpacing: Theme.gap / 2
                    rowSpacing: Theme.gap / 2
                    Repeater {
                        model: st.recent.slice(0, Theme.portrait ? 6 : (Theme.elderly ? 4 : 6))
                        delegate: Rectangle {
                            required property var modelData
                            Layout.fillWidth: true
                            implicitHeight: rc.implicitHeight + Theme.gap
                            radius: 10
                            color: "#133F70"
                            Text { id: rc; anchors.centerIn: parent; text: modelData.number + (modelData.online === true ? " ◉" : "") + "  →  " + tr.s["hall.counter_short"].replace("%1", modelData.counter)
                                   color: hall.fg; font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true }
                        }
                    }
                }
                Text { Layout.topMargin: Theme.gap; text: tr.s["hall.waiting"]; color: hall.soft; font.family: Theme.font; font.pixelSize: Theme.subtitle; font.bold: true }
                Repeater {
                    model: st.waiting
                    delegate: RowLayout {
                        required property var modelData
                        Layout.fillWidth: true
                        Text { Layout.fillWidth: true; text: modelData.code + "  " + (zh ? modelData.name : modelData.nameEn); color: hall.fg; font.family: Theme.font; font.pixelSize: Theme.body; wrapMode: Text.WordWrap }
                        Text { text: tr.s["hall.people"].replace("%1", modelData.waiting); color: hall.fg; font.family: Theme.font; font.pixelSize: Theme.body; font.bold: true }
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }

        // Scrolling notice
        Rectangle {
            readonly property bool ticker: true
            Layout.fillWidth: true
            implicitHeight: Math.round(90 * Theme.scale)
            color: "#06182B"
            clip: true
            visible: st.notice !== ""
            Text {
                id: marquee
                objectName: "notice"
                anchors.verticalCenter: parent.verticalCenter
                x: Theme.gap
                text: st.notice
                color: hall.fg
                font.family: Theme.font
                font.pixelSize: Theme.subtitle
                NumberAnimation on x {
                    running: ui.liveClock && marquee.implicitWidth > hall.width - 2 * Theme.gap
                    from: hall.width; to: -marquee.implicitWidth
                    duration: Math.max(8000, (marquee.implicitWidth + hall.width) * 8)
                    loops: Animation.Infinite
                }
            }
        }
    }
}
