import QtQuick
import QtQuick.Layouts
import "../components"

// Home: hall name, clock, online badge, big service buttons, waiting per category.
Item {
    id: home
    objectName: "homeScreen"

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        Header { Layout.fillWidth: true }

        Text {
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap * 1.5
            Layout.leftMargin: Theme.gap * 2
            text: tr.s["home.welcome"]
            color: Theme.text
            font.pixelSize: Theme.title
            font.family: Theme.font
            font.bold: true
        }

        GridLayout {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap * 2
            columns: Theme.portrait ? (Theme.elderly ? 1 : 2) : 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap

            Repeater {
                model: [
                    {key: "take_number", stripe: Theme.primary},
                    {key: "appointment", stripe: Theme.ok},
                    {key: "case_progress", stripe: Theme.warn},
                    {key: "service_guide", stripe: Theme.primaryDark},
                    {key: "evaluation", stripe: Theme.accent},
                    {key: "my_licences", stripe: Theme.ok}
                ]
                delegate: BigButton {
                    required property var modelData
                    objectName: "home_" + modelData.key
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: Theme.targetMin * 1.4
                    Layout.columnSpan: (index === 0 && grid.columns > 1 && grid.columns % 2 === 0) ? grid.columns : 1
                    required property int index
                    title: tr.s["home." + modelData.key]
                    subtitle: tr.s["home." + modelData.key + ".sub"]
                    stripe: modelData.stripe
                    onClicked: ui.go(modelData.key)
                }
            }
        }

        // Waiting per category
        Flow {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.gap * 2
            Layout.rightMargin: Theme.gap * 2
            spacing: Theme.gap / 2
            visible: homeVm.waiting.length > 0
            Text {
                text: tr.s["home.waiting"]
                color: Theme.textMuted
                font.pixelSize: Theme.body
                font.family: Theme.font
            }
            Repeater {
                model: homeVm.waiting
                delegate: Rectangle {
                    required property var modelData
                    radius: 10
                    color: Theme.surface
                    border.color: Theme.line
                    implicitWidth: chip.implicitWidth + 28
                    implicitHeight: chip.implicitHeight + 14
                    Text {
                        id: chip
                        anchors.centerIn: parent
                        text: (tr.lang === "zh" ? modelData.name : modelData.name_en) + "  " + modelData.waiting + " " + tr.s["home.waiting.people"]
                        color: Theme.text
                        font.pixelSize: Theme.small
                        font.family: Theme.font
                    }
                }
            }
        }

        // Footer: identification hint, language and elderly-mode switches
        Rectangle {
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            implicitHeight: footer.implicitHeight + Theme.gap * 2
            color: Theme.surface
            GridLayout {
                id: footer
                anchors.fill: parent
                anchors.margins: Theme.gap
                columns: Theme.portrait && Theme.elderly ? 2 : 3
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap / 2
                Text {
                    objectName: "homeHint"
                    Layout.fillWidth: true
                    Layout.columnSpan: Theme.portrait && Theme.elderly ? 2 : 1
                    text: "▭ " + tr.s["home.hint"]
                    color: Theme.text
                    font.pixelSize: Theme.body
                    font.family: Theme.font
                    wrapMode: Text.WordWrap
                    lineHeight: Theme.lineHeight
                }
                BigButton {
                    objectName: "elderlyToggle"
                    Layout.fillWidth: Theme.portrait && Theme.elderly
                    Layout.preferredWidth: Math.round(320 * Theme.scale)
                    implicitHeight: Theme.targetMin
                    title: ui.elderly ? tr.s["common.elderly_off"] : tr.s["common.elderly_on"]
                    stripe: Theme.ok
                    onClicked: ui.toggleElderly()
                }
                BigButton {
                    objectName: "languageToggle"
                    Layout.fillWidth: Theme.portrait && Theme.elderly
                    Layout.preferredWidth: Math.round(240 * Theme.scale)
                    implicitHeight: Theme.targetMin
                    title: tr.s["common.language"]
                    onClicked: tr.toggle()
                }
            }
        }
    }
}
