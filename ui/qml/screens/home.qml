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
            // elderly mode: the big service buttons need the height more than a greeting does
            visible: !Theme.elderly
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
            Layout.margins: Theme.gap * (Theme.elderly ? 1 : 2)
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
                    Layout.minimumHeight: Math.max(Theme.targetMin * 1.4, contentNeeds)
                    Layout.columnSpan: (index === 0 && grid.columns > 1 && grid.columns % 2 === 0) ? grid.columns : 1
                    required property int index
                    title: tr.s["home." + modelData.key]
                    // elderly mode: big titles only, so five buttons still fit without cutting one
                    subtitle: Theme.elderly ? "" : tr.s["home." + modelData.key + ".sub"]
                    stripe: modelData.stripe
                    // the guide starts with a search: a guide is for one service, found first
                    onClicked: ui.go(modelData.key === "service_guide" ? "item_search" : modelData.key)
                }
            }
        }

        // Waiting per category
        Flow {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.gap * 2
            Layout.rightMargin: Theme.gap * 2
            spacing: Theme.gap / 2
            // elderly portrait: the one-column service buttons need the height (the waiting
            // counts are on the take-number screen, beside each category)
            visible: homeVm.waiting.length > 0 && !(Theme.elderly && Theme.portrait)
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
                    implicitWidth: chip.width + 28
                    implicitHeight: chip.contentHeight + 14
                    Text {
                        id: chip
                        anchors.centerIn: parent
                        // a long category name wraps inside its chip rather than off the screen
                        width: Math.min(implicitWidth, home.width - Theme.gap * 4 - 28)
                        wrapMode: Text.WordWrap
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
                RowLayout {
                    Layout.fillWidth: true
                    Layout.columnSpan: Theme.portrait && Theme.elderly ? 2 : 1
                    spacing: Theme.gap / 2
                    Icon {
                        Layout.preferredWidth: Theme.title
                        Layout.preferredHeight: Theme.title
                        Layout.alignment: Qt.AlignVCenter
                        kind: "id_card"
                    }
                    Text {
                        objectName: "homeHint"
                        Layout.fillWidth: true
                        Layout.minimumHeight: contentHeight  // wrapped lines count in the footer's height
                        text: tr.s["home.hint"]
                        color: Theme.text
                        font.pixelSize: Theme.body
                        font.family: Theme.font
                        wrapMode: Text.WordWrap
                        lineHeight: Theme.lineHeight
                    }
                }
                ActionButton {
                    objectName: "elderlyToggle"
                    Layout.fillWidth: Theme.portrait && Theme.elderly
                    Layout.preferredWidth: Math.max(implicitWidth, Math.round(300 * Theme.scale))
                    kind: "secondary"
                    text: ui.elderly ? tr.s["common.elderly_off"] : tr.s["common.elderly_on"]
                    onClicked: ui.toggleElderly()
                }
                ActionButton {
                    objectName: "languageToggle"
                    Layout.fillWidth: Theme.portrait && Theme.elderly
                    Layout.preferredWidth: Math.max(implicitWidth, Math.round(220 * Theme.scale))
                    kind: "secondary"
                    text: tr.s["common.language"]
                    onClicked: tr.toggle()
                }
            }
        }
    }
}
