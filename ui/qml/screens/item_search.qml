import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import "../components"

// Item search: Chinese substring or pinyin initials (bdcdj -> 不动产登记) typed on the
// on-screen keyboard with its pinyin input. The pinyin being composed searches too.
Page {
    id: page
    objectName: "itemSearchScreen"
    title: tr.s["search.title"]
    voice: tr.s["search.voice"]
    readonly property var st: searchVm.state
    readonly property bool zh: tr.lang === "zh"
    // Elderly mode's own layouts (seven keys a row, ../keyboard_elderly): the standard ones put
    // 10-11 keys a row, 91-101 px wide, under the 120 px touch target. Only while shown.
    readonly property url elderlyLayouts: Qt.resolvedUrl("../keyboard_elderly")
    property url standardLayouts   // the keyboard's own, as found when the screen opened
    function applyLayouts() {
        VirtualKeyboardSettings.layoutPath = Theme.elderly ? elderlyLayouts : standardLayouts;
    }
    Connections {
        target: Theme
        function onElderlyChanged() { page.applyLayouts() }
    }
    Component.onDestruction: VirtualKeyboardSettings.layoutPath = standardLayouts

    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        rowSpacing: Theme.gap
        columnSpacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: Theme.portrait
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.portrait ? -1 : (page.width - Theme.gap * 3) / 2
            spacing: Theme.gap
            TextField {
                id: field
                objectName: "searchField"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.targetMin
                font.pixelSize: Theme.subtitle
                font.family: Theme.font
                placeholderText: tr.s["search.placeholder"]
                placeholderTextColor: Theme.textMuted   // 8.9:1 on white (the default grey was 4.0:1)
                inputMethodHints: Qt.ImhNoPredictiveText
                onTextChanged: searchVm.setQuery(text + preeditText)
                onPreeditTextChanged: searchVm.setQuery(text + preeditText)
                onAccepted: searchVm.setQuery(text)
                background: Rectangle { radius: Theme.radius; border.color: Theme.primary; border.width: 3; color: Theme.surface }
            }
            T {
                Layout.fillWidth: true
                visible: st.searched && st.results.length === 0 && !st.busy
                text: tr.s["search.none"]
                color: Theme.textMuted
            }
            // The hint is never only in the placeholder: it stays while the person types.
            T {
                objectName: "searchHint"
                Layout.fillWidth: true
                visible: !st.searched || st.results.length === 0
                text: tr.s["search.hint"]
                color: Theme.textMuted
            }
            T {
                Layout.fillWidth: true
                visible: st.errorKey !== ""
                text: st.errorKey !== "" ? tr.s[st.errorKey] : ""
                color: Theme.accent
            }
            ListView {
                id: list
                objectName: "searchResults"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: Theme.gap / 2
                model: st.results
                delegate: Rectangle {
                    required property var modelData
                    width: list.width
                    height: Math.max(Theme.targetMin, row.implicitHeight + Theme.gap)
                    radius: Theme.radius
                    color: Theme.surface
                    border.color: Theme.line
                    border.width: 2
                    RowLayout {
                        id: row
                        anchors.fill: parent
                        anchors.leftMargin: Theme.gap
                        anchors.rightMargin: Theme.gap / 2
                        spacing: Theme.gap / 2
                        Column {
                            Layout.fillWidth: true
                            Layout.alignment: Qt.AlignVCenter
                            T { width: parent.width; text: zh ? modelData.name : (modelData.nameEn || modelData.name) + (modelData.nameEnMissing ? tr.s["common.zh_only"] : ""); font.bold: true }
                            T { width: parent.width; text: (zh ? modelData.department : (modelData.departmentEn || modelData.department)); color: Theme.textMuted; font.pixelSize: Theme.small }
                        }
                        ActionButton {
                            kind: "secondary"
                            fontSize: Theme.body
                            implicitWidth: Theme.targetMin * 1.7
                            text: tr.s["search.guide"]
                            onClicked: searchVm.open(modelData.code)
                        }
                        ActionButton {
                            fontSize: Theme.body
                            implicitWidth: Theme.targetMin * 1.7
                            text: tr.s["search.take"]
                            onClicked: searchVm.takeNumberFor(modelData.code)
                        }
                    }
                }
            }
        }

        Item {
            Layout.fillWidth: Theme.portrait
            Layout.preferredWidth: Theme.portrait ? -1 : (page.width - Theme.gap * 3) / 2
            Layout.fillHeight: !Theme.portrait
            Layout.preferredHeight: keyboard.height
            InputPanel {
                id: keyboard
                objectName: "keyboard"
                width: parent.width
                anchors.bottom: parent.bottom
                active: true
                visible: true
                // Keys at least the theme's touch target tall (120 px in elderly mode). The
                // style keeps its design aspect; a taller design height gives taller keys at
                // the same width and font size. A key is ~24.8 % of the default style's height.
                // (Elderly mode's layout has five rows, not four: ~19.8 %.)
                readonly property real keyHeightShare: Theme.elderly ? 0.19 : 0.2476
                readonly property real designHeight: Math.max(
                    800, Math.ceil(2560 * (Theme.targetMin + 2) / keyHeightShare / Math.max(1, width)))
            }
            Binding {
                target: keyboard.keyboard ? keyboard.keyboard.style : null
                property: "keyboardDesignHeight"
                value: keyboard.designHeight
                when: keyboard.keyboard !== null && keyboard.keyboard.style !== null
            }
            // The pinyin candidate bar a touch target tall too (its design units scale with width).
            Binding {
                target: keyboard.keyboard ? keyboard.keyboard.style : null
                property: "selectionListHeight"
                value: Math.ceil(Theme.targetMin * 2560 / Math.max(1, keyboard.width))
                when: keyboard.keyboard !== null && keyboard.keyboard.style !== null
            }
        }
    }
    Component.onCompleted: {
        standardLayouts = VirtualKeyboardSettings.layoutPath;
        applyLayouts();
        VirtualKeyboardSettings.activeLocales = tr.lang === "zh" ? ["zh_CN", "en_US"] : ["en_US", "zh_CN"];
        VirtualKeyboardSettings.locale = tr.lang === "zh" ? "zh_CN" : "en_US";
        field.text = searchVm.state.query;
        field.forceActiveFocus();
    }
}
