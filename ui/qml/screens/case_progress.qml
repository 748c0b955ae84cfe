import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// Case progress by card or case number, with a timeline; offline says it needs the network
// and what the citizen can do instead.
Page {
    id: page
    objectName: "caseScreen"
    title: tr.s["case.title"]
    voice: st.step === "offline" ? tr.s["case.offline.title"] : tr.s["case.voice"]
    readonly property var st: caseVm.state
    readonly property var cs: st.case
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        // Input
        Card {
            Layout.fillWidth: true
            visible: st.step === "input" || st.step === "loading" || st.step === "not_found" || st.step === "error"
            Column {
                width: parent.width
                spacing: Theme.gap
                T { width: parent.width; text: tr.s["case.how"]; font.pixelSize: Theme.subtitle; font.bold: true }
                RowLayout {
                    width: parent.width
                    spacing: Theme.gap
                    TextField {
                        id: numberField
                        objectName: "caseNumberField"
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.targetMin
                        font.pixelSize: Theme.body
                        font.family: Theme.font
                        placeholderText: tr.s["case.number"]
                        inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText
                        onTextChanged: caseVm.setCaseNumber(text)
                        background: Rectangle { radius: Theme.radius; border.color: Theme.primary; border.width: 3; color: Theme.surface }
                    }
                    ActionButton { text: tr.s["case.search"]; enabled: st.caseNumber !== ""; onClicked: caseVm.search() }
                }
                T { width: parent.width; visible: st.step === "loading"; text: tr.s["case.loading"]; color: Theme.primary }
                T { width: parent.width; visible: st.step === "not_found"; text: "✕  " + tr.s["case.not_found"]; color: Theme.accent }
                T { width: parent.width; visible: st.step === "error"; text: "✕  " + tr.s["case.error"]; color: Theme.accent }
            }
        }

        // Offline
        Card {
            objectName: "caseOffline"
            Layout.fillWidth: true
            visible: st.step === "offline"
            border.color: Theme.warn
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap
                T { width: parent.width; text: "⚠  " + tr.s["case.offline.title"]; font.pixelSize: Theme.subtitle; font.bold: true; color: Theme.warn }
                T { width: parent.width; text: tr.s["case.offline.body"] }
                T { width: parent.width; text: "1. " + tr.s["case.offline.do1"] }
                T { width: parent.width; text: "2. " + tr.s["case.offline.do2"] }
                T { width: parent.width; text: "3. " + tr.s["case.offline.do3"] }
            }
        }

        // Found: summary + timeline
        GridLayout {
        Layout.fillWidth: true
        Layout.fillHeight: st.step === "found"
        visible: st.step === "found"
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap
        Card {
            objectName: "caseSummary"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop
            visible: st.step === "found"
            Column {
                width: parent.width
                spacing: 6
                T { objectName: "caseItem"; width: parent.width; text: ((zh ? cs.item : cs.itemEn) || "") + (!zh && cs.item && cs.itemEnMissing ? tr.s["common.zh_only"] : ""); font.pixelSize: Theme.subtitle; font.bold: true }
                T { width: parent.width; text: tr.s["case.number_label"] + (cs.number || ""); color: Theme.textMuted; font.pixelSize: Theme.small; wrapMode: Text.WrapAnywhere }
                T { width: parent.width; text: tr.s["case.department"] + ((zh ? cs.department : cs.departmentEn) || "") }
                Rectangle {
                    width: statusText.implicitWidth + Theme.gap * 2
                    height: statusText.implicitHeight + Theme.gap / 2
                    radius: height / 2
                    color: "#E6EEF8"
                    border.color: Theme.primary
                    border.width: 2
                    T { id: statusText; anchors.centerIn: parent; text: "● " + (tr.s["case.status." + cs.status] || cs.status || ""); font.bold: true; color: Theme.primary }
                }
                T { width: parent.width; visible: (cs.promisedDate || "") !== ""; text: tr.s["case.promised"] + (cs.promisedDate || "") }
                T { width: parent.width; visible: ((zh ? cs.note : cs.noteEn) || "") !== ""; text: (zh ? cs.note : cs.noteEn) || ""; color: Theme.warn; font.bold: true }
                T { width: parent.width; visible: st.fromCache; text: tr.s["case.cached"]; color: Theme.textMuted; font.pixelSize: Theme.small }
            }
        }
        // Every step, the last one too: the page scrolls when they are more than the space.
        Column {
            id: timeline
            objectName: "caseTimeline"
            readonly property int count: steps.count
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop
            visible: st.step === "found"
            Repeater {
            id: steps
            model: cs.timeline || []
            delegate: Item {
                required property var modelData
                required property int index
                width: timeline.width
                height: Math.max(Theme.targetMin, col.implicitHeight + Theme.gap)
                Rectangle {   // the line
                    x: 28; width: 4; color: Theme.line
                    y: index === 0 ? parent.height / 2 : 0
                    height: index === timeline.count - 1 ? parent.height / 2 : parent.height
                }
                Rectangle {   // the dot: filled = done, ring = to come, big = current
                    x: 30 - width / 2; anchors.verticalCenter: parent.verticalCenter
                    width: modelData.current ? 40 : 28; height: width; radius: width / 2
                    color: modelData.done ? Theme.primary : Theme.surface
                    border.color: modelData.done ? Theme.primary : Theme.textMuted; border.width: 4
                }
                Column {
                    id: col
                    x: 80; width: parent.width - 80
                    anchors.verticalCenter: parent.verticalCenter
                    T { width: parent.width; text: (zh ? modelData.label : modelData.labelEn) + (modelData.current ? "  ← " + tr.s["case.now"] : (modelData.done ? "" : "  (" + tr.s["case.todo"] + ")"))
                        font.bold: modelData.current; color: modelData.done || modelData.current ? Theme.text : Theme.textMuted }
                    T { width: parent.width; text: modelData.at || ""; font.pixelSize: Theme.small; color: Theme.textMuted; visible: (modelData.at || "") !== "" }
                }
            }
            }
        }
        }
        Item { Layout.fillHeight: true }
    }

    actions: ActionButton {
        objectName: "caseAgain"
        Layout.fillWidth: true
        visible: st.step === "found" || st.step === "offline"
        kind: "secondary"
        text: tr.s["case.again"]
        onClicked: caseVm.again()
    }
}
