import QtQuick
import QtQuick.Layouts
import "../components"

// Take a number: category grid -> confirmation (people ahead, wait) -> printing.
Page {
    id: page
    objectName: "takeNumberScreen"
    title: tr.s["take.title"]
    voice: st.step === "long_wait" ? st.messageDetail
           : st.step === "confirm" ? tr.s["take.voice.confirm"] : tr.s["take.voice"]
    readonly property var st: takeNumberVm.state
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        visible: st.step === "choose"

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            T { Layout.fillWidth: true; text: tr.s["take.choose"]; font.pixelSize: Theme.subtitle; font.bold: true }
            ActionButton {
                objectName: "searchItems"
                kind: "secondary"
                text: tr.s["take.search"]
                onClicked: ui.go("item_search")
            }
        }
        GridLayout {
            id: grid
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: Theme.portrait ? (Theme.elderly ? 1 : 2) : (Theme.elderly ? 2 : 3)
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: st.categories
                delegate: Rectangle {
                    required property var modelData
                    objectName: "category_" + modelData.code
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: Math.max(Theme.targetMin, catRow.implicitHeight + Theme.gap * 2)
                    radius: Theme.radius
                    color: tap.pressed ? "#DCE6F2" : Theme.surface
                    border.color: Theme.line
                    border.width: 2
                    opacity: modelData.open === false ? 0.55 : 1
                    RowLayout {
                        id: catRow
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        spacing: Theme.gap
                        Rectangle {
                            Layout.preferredWidth: Math.round(96 * Theme.scale)
                            Layout.preferredHeight: Math.round(96 * Theme.scale)
                            Layout.alignment: Qt.AlignVCenter
                            radius: width / 2
                            color: Theme.primary
                            T { anchors.centerIn: parent; text: modelData.prefix; color: Theme.textOnPrimary; font.pixelSize: Theme.title; font.bold: true }
                        }
                        Column {
                            Layout.fillWidth: true
                            Layout.alignment: Qt.AlignVCenter
                            spacing: 6
                            T { width: parent.width; text: zh ? modelData.name : modelData.name_en; font.pixelSize: Theme.subtitle; font.bold: true }
                            T {
                                width: parent.width
                                visible: !Theme.elderly && text !== ""
                                text: (zh ? modelData.note : modelData.noteEn) || ""
                                color: Theme.textMuted
                                font.pixelSize: Theme.small
                                maximumLineCount: 2
                                elide: Text.ElideRight
                            }
                            T {
                                width: parent.width
                                text: modelData.open === false ? tr.s["take.closed"]
                                      : tr.s["take.waiting"].replace("%1", modelData.waiting).replace("%2", modelData.estMin)
                                color: modelData.open === false ? Theme.accent : Theme.text
                            }
                        }
                    }
                    TapHandler { id: tap; onTapped: takeNumberVm.choose(modelData.code) }
                    Accessible.role: Accessible.Button
                    Accessible.name: modelData.name
                }
            }
        }
    }

    // Confirmation / printing / refusal
    Card {
        id: confirmCard
        objectName: "takeConfirm"
        anchors.centerIn: parent
        width: Math.min(parent.width, Math.round(900 * Math.min(Theme.scale, 1.2)))
        visible: st.step !== "choose"
        padding: Theme.gap * 1.5
        readonly property var cat: {
            var rows = st.categories;
            for (var i = 0; i < rows.length; i++) if (rows[i].code === st.selected) return rows[i];
            return ({});
        }
        Column {
            width: parent.width
            spacing: Theme.gap
            T {
                width: parent.width
                text: st.step === "refused" ? tr.s["take.refused"]
                      : st.step === "long_wait" ? tr.s["take.longwait.title"] : tr.s["take.confirm.title"]
                font.pixelSize: Theme.title
                font.bold: true
            }
            T {
                width: parent.width
                visible: st.step !== "refused"
                text: (zh ? confirmCard.cat.name : confirmCard.cat.name_en) || ""
                font.pixelSize: Theme.subtitle
                color: Theme.primary
                font.bold: true
            }
            T {
                // the core's long_wait_confirm sentence: says the wait, asks before printing
                width: parent.width
                objectName: "takeLongWait"
                visible: st.step === "long_wait"
                text: st.messageDetail
                font.pixelSize: Theme.subtitle
                color: Theme.accent
                font.bold: true
            }
            T {
                width: parent.width
                visible: st.step !== "refused" && st.step !== "long_wait"
                text: tr.s["take.confirm.ahead"].replace("%1", st.peopleAhead) + "\n"
                      + tr.s["take.confirm.wait"].replace("%1", st.estMin)
                font.pixelSize: Theme.subtitle
            }
            T {
                width: parent.width
                visible: st.priority !== "" && st.step !== "refused"
                text: "★ " + (tr.s["priority." + st.priority] || st.priority)
                color: Theme.ok
                font.bold: true
            }
            T {
                width: parent.width
                visible: st.holder !== "" && st.step !== "refused"
                text: tr.s["take.confirm.holder"] + st.holder
                color: Theme.textMuted
            }
            T {
                width: parent.width
                objectName: "takeRefusal"
                visible: st.step === "refused"
                text: [st.messageKey !== "" ? tr.s[st.messageKey] : "", st.messageDetail].filter(t => t !== "").join("\n")
                font.pixelSize: Theme.subtitle
            }
            T {
                width: parent.width
                visible: st.step === "printing"
                text: tr.s["take.printing"]
                color: Theme.primary
                font.bold: true
            }
        }
    }

    // The confirmation's answers stay on screen however tall the card is.
    actions: [
        ActionButton {
            objectName: "takeBack"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            visible: st.step !== "choose" && st.step !== "printing"
            kind: "secondary"
            text: st.step === "long_wait" ? tr.s["take.longwait.cancel"] : tr.s["common.back"]
            onClicked: takeNumberVm.back()
        },
        ActionButton {
            objectName: "takeConfirmButton"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            visible: st.step === "confirm" || st.step === "long_wait"
            text: st.step === "long_wait" ? tr.s["take.longwait.button"] : tr.s["take.confirm.button"]
            onClicked: takeNumberVm.confirm()
        }
    ]
}
