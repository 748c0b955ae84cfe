import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import "../components"

// Apply (自助申报): 1 the form, prefilled from the card, e-licences and the hall profile (the
// rest typed on the on-screen keyboard) · 2 check the summary · 3 photograph the materials on
// the document camera · 4 the receipt with the case number, printed on A4.
Page {
    id: page
    objectName: "applyScreen"
    title: tr.s["apply.title"]
    voice: tr.s["apply.voice." + (st.step === "" ? "idle" : st.step)] || tr.s["apply.title"]
    readonly property var st: applyVm.state
    readonly property bool zh: tr.lang === "zh"
    readonly property bool typing: st.step === "form" && st.current !== ""
    readonly property bool photosDone: {
        var ms = st.materials || [];
        for (var i = 0; i < ms.length; i++) if (ms[i].required && ms[i].pages === 0) return false;
        return true;
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        // Title and the steps
        Flow {
            id: head
            Layout.fillWidth: true
            spacing: Theme.gap / 2
            visible: st.title !== ""
            T { width: Math.min(implicitWidth, head.width); text: zh ? st.title : st.titleEn; font.pixelSize: Theme.subtitle; font.bold: true }
            Repeater {
                model: ["form", "summary", "photos", "receipt"]
                delegate: Rectangle {
                    required property string modelData
                    required property int index
                    readonly property bool on: st.step === modelData || (modelData === "receipt" && st.step === "submitting")
                    width: stepText.implicitWidth + Theme.gap
                    height: stepText.implicitHeight + Theme.gap / 3
                    radius: height / 2
                    color: on ? Theme.primary : Theme.surface
                    border.color: Theme.primary
                    border.width: 2
                    T { id: stepText; anchors.centerIn: parent; text: (index + 1) + " " + tr.s["apply.step." + modelData]; color: on ? Theme.textOnPrimary : Theme.primary; font.pixelSize: Theme.small; font.bold: on }
                }
            }
        }
        T { Layout.fillWidth: true; visible: st.step === "loading"; text: tr.s["apply.loading"]; color: Theme.primary }
        Card {
            Layout.fillWidth: true
            visible: st.step === "no_form" || st.step === "error" || ((st.step === "form" || st.step === "photos") && (st.message.zh || "") !== "")
            border.color: Theme.accent
            border.width: 3
            T { width: parent.width; text: "✕  " + (zh ? st.message.zh : st.message.en); color: Theme.accent; font.bold: true }
        }

        // 1 · the form
        T {
            objectName: "applyShare"
            Layout.fillWidth: true
            visible: st.step === "form"
            text: tr.s["apply.prefilled"].replace("%1", st.share)
            color: Theme.ok
            font.bold: true
            font.pixelSize: Theme.small
            maximumLineCount: Theme.portrait ? 3 : 1
            elide: Text.ElideRight
        }
        ListView {
            id: fields
            objectName: "applyFields"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: st.step === "form" || st.step === "summary"
            clip: true
            spacing: Theme.gap / 3
            model: st.fields
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded; width: 16 }
            delegate: Rectangle {
                id: row
                required property var modelData
                width: fields.width - 20
                height: col.implicitHeight + Theme.gap / 2
                radius: Theme.radius
                color: modelData.problem !== "" ? "#FBEAEA" : (modelData.prefilled ? "#EEF6F0" : Theme.surface)
                border.color: modelData.problem !== "" ? Theme.accent : Theme.line
                border.width: 2
                Column {
                    id: col
                    x: Theme.gap / 2; y: Theme.gap / 4
                    width: parent.width - Theme.gap
                    spacing: 2
                    T {
                        width: parent.width
                        text: (zh ? modelData.label : modelData.labelEn) + (modelData.required ? " *" : "")
                              + (modelData.prefilled ? "   ✓ " + tr.s["apply.source." + modelData.source] : "")
                        font.pixelSize: Theme.small
                        color: modelData.prefilled ? Theme.ok : Theme.textMuted
                    }
                    T {
                        width: parent.width
                        visible: !modelData.editable || st.step === "summary"
                        text: modelData.shown !== "" ? modelData.shown : "—"
                        font.bold: true
                        wrapMode: Text.WrapAnywhere
                    }
                    Flow {
                        width: parent.width
                        spacing: Theme.gap / 3
                        visible: modelData.editable && modelData.type === "choice" && st.step === "form"
                        Repeater {
                            model: modelData.choices
                            delegate: ActionButton {
                                required property string modelData
                                kind: row.modelData.value === modelData ? "primary" : "secondary"
                                fontSize: Theme.body
                                text: modelData
                                onClicked: applyVm.setValue(row.modelData.key, modelData)
                            }
                        }
                    }
                    TextField {
                        objectName: "applyField_" + modelData.key
                        width: parent.width
                        visible: modelData.editable && modelData.type !== "choice" && st.step === "form"
                        height: visible ? Theme.targetMin : 0
                        font.pixelSize: Theme.body
                        font.family: Theme.font
                        text: modelData.value
                        inputMethodHints: modelData.type === "phone" || modelData.type === "number" ? Qt.ImhDigitsOnly : Qt.ImhNone
                        onActiveFocusChanged: if (activeFocus) applyVm.focus(modelData.key)
                        onEditingFinished: applyVm.setValue(modelData.key, text)
                        background: Rectangle { radius: Theme.radius; border.color: Theme.primary; border.width: 3; color: Theme.surface }
                    }
                    T { width: parent.width; visible: modelData.problem !== ""; text: "✕ " + (tr.s["apply.problem." + modelData.problem] || modelData.problem); color: Theme.accent; font.pixelSize: Theme.small }
                }
            }
        }
        InputPanel {
            id: keyboard
            objectName: "keyboard"
            Layout.fillWidth: true
            visible: page.typing
            active: page.typing
        }

        // 3 · photographs
        ListView {
            id: mats
            objectName: "applyMaterials"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: st.step === "photos"
            spacing: Theme.gap / 2
            model: st.materials
            delegate: Card {
                required property var modelData
                width: mats.width
                RowLayout {
                    width: parent.width
                    spacing: Theme.gap
                    Column {
                        Layout.fillWidth: true
                        T { width: parent.width; text: (zh ? modelData.name : modelData.nameEn) + (modelData.required ? " *" : ""); font.bold: true }
                        T { width: parent.width; text: modelData.pages > 0 ? "✓ " + tr.s["apply.pages"].replace("%1", modelData.pages) : tr.s["apply.no_pages"]; color: modelData.pages > 0 ? Theme.ok : (modelData.lastOk ? Theme.textMuted : Theme.accent) }
                    }
                    ActionButton {
                        objectName: "photograph_" + modelData.key
                        text: tr.s["apply.photograph"]
                        enabled: st.camera !== "busy"
                        onClicked: applyVm.photograph(modelData.key)
                    }
                }
            }
        }
        T { Layout.fillWidth: true; visible: st.step === "photos"; text: st.camera === "busy" ? tr.s["apply.camera_busy"] : (st.camera === "failed" ? "✕ " + (zh ? st.cameraMsg.zh : st.cameraMsg.en) : tr.s["apply.camera_hint"]); color: st.camera === "failed" ? Theme.accent : Theme.textMuted }

        // 4 · submitting, receipt
        T { Layout.fillWidth: true; visible: st.step === "submitting"; text: tr.s["apply.submitting"]; color: Theme.primary; font.pixelSize: Theme.subtitle }
        Card {
            objectName: "applyReceipt"
            Layout.fillWidth: true
            visible: st.step === "receipt"
            border.color: Theme.ok
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap / 2
                T { width: parent.width; text: "✓  " + (zh ? st.message.zh : st.message.en); font.pixelSize: Theme.subtitle; font.bold: true; color: Theme.ok }
                T { width: parent.width; visible: st.caseNumber !== ""; text: tr.s["apply.case_number"]; color: Theme.textMuted }
                T { width: parent.width; visible: st.caseNumber !== ""; text: st.caseNumber; font.pixelSize: Theme.title; font.bold: true; wrapMode: Text.WrapAnywhere }
                T { width: parent.width; visible: st.caseNumber === ""; text: tr.s["apply.local_ref"] + st.localRef; font.pixelSize: Theme.subtitle; font.bold: true }
                T {
                    width: parent.width
                    text: st.printing === "printing" ? tr.s["apply.printing"] : (st.printing === "" ? "" : ((st.printing === "printed" ? "✓ " + tr.s["apply.printed"] : "✕ " + (zh ? st.printMsg.zh : st.printMsg.en))))
                    color: st.printing === "failed" ? Theme.accent : Theme.ok
                }
            }
        }
        Item { Layout.fillHeight: true; visible: st.step === "receipt" || st.step === "submitting" || st.step === "loading" || st.step === "no_form" || st.step === "error" }

        // Buttons of the step
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            visible: !page.typing
            ActionButton {
                Layout.fillWidth: true
                kind: "secondary"
                visible: st.step === "summary" || st.step === "photos"
                text: "‹ " + tr.s["apply.back"]
                onClicked: st.step === "summary" ? applyVm.toForm() : applyVm.toSummary()
            }
            ActionButton {
                objectName: "applyNext"
                Layout.fillWidth: true
                visible: st.step === "form" || st.step === "summary"
                text: (st.step === "form" ? tr.s["apply.to_summary"] : tr.s["apply.to_photos"]) + " ›"
                onClicked: st.step === "form" ? applyVm.toSummary() : applyVm.toPhotos()
            }
            ActionButton {
                objectName: "applySubmit"
                Layout.fillWidth: true
                kind: "ok"
                visible: st.step === "photos"
                enabled: page.photosDone && st.camera !== "busy"
                text: tr.s["apply.submit"]
                onClicked: applyVm.submit()
            }
            ActionButton {
                Layout.fillWidth: true
                kind: "secondary"
                visible: st.step === "receipt" && st.printing === "failed"
                text: tr.s["apply.print_again"]
                onClicked: applyVm.printReceipt()
            }
        }
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = tr.lang === "zh" ? ["zh_CN", "en_US"] : ["en_US", "zh_CN"];
        VirtualKeyboardSettings.locale = tr.lang === "zh" ? "zh_CN" : "en_US";
    }
}
