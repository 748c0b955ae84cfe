import QtQuick
import QtQuick.Layouts
import "../components"

// 好差评: five faces with words (the word and the face's shape carry the level, not colour),
// optional tags, a thank-you. Voluntary: "home" is always there.
Page {
    id: page
    objectName: "evaluationScreen"
    title: tr.s["eval.title"]
    voice: st.step === "thanks" ? tr.s["eval.thanks"] : tr.s["eval.voice"]
    readonly property var st: evaluationVm.state
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        visible: st.step !== "thanks"

        T {
            Layout.fillWidth: true
            visible: st.ticketNumber !== ""
            text: tr.s["eval.for"].replace("%1", st.ticketNumber).replace("%2", st.counter) + ((zh ? st.item : st.itemEn) ? "  ·  " + (zh ? st.item : st.itemEn) : "")
            color: Theme.textMuted
        }
        // Which service: the citizen's card or ticket ties the rating to it.
        T {
            objectName: "evalWhich"
            Layout.fillWidth: true
            visible: st.ticketNumber === ""
            text: st.serviceNotFound ? tr.s["eval.which.none"] : tr.s["eval.which"]
            color: st.serviceNotFound ? Theme.accent : Theme.textMuted
        }
        T { Layout.fillWidth: true; text: tr.s["eval.question"]; font.pixelSize: Theme.subtitle; font.bold: true }

        GridLayout {
            Layout.fillWidth: true
            columns: vertical ? 1 : 5
            rowSpacing: Theme.gap / 3
            columnSpacing: Theme.gap / 2
            // Elderly portrait: one level per row, face beside its word, so words never wrap.
            readonly property bool vertical: Theme.elderly && Theme.portrait
            Repeater {
                model: [5, 4, 3, 2, 1]
                delegate: Rectangle {
                    required property int modelData
                    objectName: "level_" + modelData
                    Layout.fillWidth: true
                    Layout.preferredHeight: parent.vertical ? faceItem.height + Theme.gap / 2 : faceItem.height + word.implicitHeight + Theme.gap * 2
                    radius: Theme.radius
                    color: st.level === modelData ? "#E6EEF8" : Theme.surface
                    border.color: st.level === modelData ? Theme.primary : Theme.line
                    border.width: st.level === modelData ? 5 : 2
                    Face {
                        id: faceItem
                        level: modelData
                        selected: st.level === modelData
                        width: parent.parent.vertical ? Math.round(90 * Theme.scale) : Math.min(parent.width - 16, Math.round((Theme.portrait ? 130 : 100) * Theme.scale)); height: width
                        x: parent.parent.vertical ? Theme.gap : (parent.width - width) / 2
                        y: parent.parent.vertical ? Theme.gap / 4 : Theme.gap / 2
                    }
                    T {
                        id: word
                        readonly property bool vertical: parent.parent.vertical
                        x: vertical ? faceItem.x + faceItem.width + Theme.gap : 4
                        y: vertical ? (parent.height - height) / 2 : faceItem.y + faceItem.height + Theme.gap / 2
                        width: vertical ? parent.width - x - Theme.gap : parent.width - 8
                        horizontalAlignment: vertical ? Text.AlignLeft : Text.AlignHCenter
                        text: (st.level === modelData ? "✓ " : "") + tr.s["eval.level" + modelData]
                        font.bold: st.level === modelData
                        font.pixelSize: Theme.body
                    }
                    TapHandler { onTapped: evaluationVm.setLevel(modelData) }
                    Accessible.role: Accessible.Button
                    Accessible.name: tr.s["eval.level" + modelData]
                }
            }
        }

        T {
            Layout.fillWidth: true
            visible: st.level > 0
            text: st.level <= 2 ? tr.s["eval.tags.bad"] : tr.s["eval.tags.good"]
            font.bold: true
        }
        GridLayout {
        Layout.fillWidth: true
        columns: 1
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap
        Flow {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap / 2
            visible: st.level > 0
            Repeater {
                model: st.options
                delegate: Rectangle {
                    required property string modelData
                    readonly property bool on: st.tags.indexOf(modelData) >= 0
                    objectName: "tag_" + modelData
                    height: Theme.targetMin
                    width: tagText.implicitWidth + Theme.gap * 2
                    radius: height / 2
                    color: on ? Theme.primary : Theme.surface
                    border.color: Theme.primary
                    border.width: 3
                    T { id: tagText; anchors.centerIn: parent; text: (parent.on ? "✓ " : "") + tr.s["eval.tag." + modelData]; color: parent.on ? Theme.textOnPrimary : Theme.primary; font.bold: true }
                    TapHandler { onTapped: evaluationVm.toggleTag(modelData) }
                }
            }
        }
        }
        T { Layout.fillWidth: true; visible: st.step === "failed"; text: tr.s["eval.failed"]; color: Theme.accent }
        Item { Layout.fillHeight: true }
    }

    Column {
        objectName: "evalThanks"
        anchors.centerIn: parent
        width: parent.width
        spacing: Theme.gap
        visible: st.step === "thanks"
        T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: "✓"; font.pixelSize: Theme.display * 1.5; color: Theme.ok }
        T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["eval.thanks"]; font.pixelSize: Theme.title; font.bold: true }
        T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: st.level > 0 && st.level <= 2 ? tr.s["eval.thanks.bad"] : tr.s["eval.thanks.good"]; color: Theme.textMuted }
    }

    actions: [
        ActionButton {
            objectName: "evalSubmit"
            Layout.fillWidth: true
            visible: st.step !== "thanks"
            enabled: st.level > 0 && st.step === "rate"
            text: tr.s["eval.submit"]
            onClicked: evaluationVm.submit()
        },
        ActionButton {
            objectName: "evalDone"
            Layout.fillWidth: true
            visible: st.step === "thanks"
            text: tr.s["ticket.done"]
            onClicked: ui.goHome()
        }
    ]
}
