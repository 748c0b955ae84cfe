import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// My e-licences (电子证照): the card holder's licences from the platform, each printable on A4.
// Numbers are masked on screen; only the printout (the citizen's own copy) carries them in full.
Page {
    id: page
    objectName: "myLicencesScreen"
    title: tr.s["licences.title"]
    voice: st.step === "unavailable" ? (zh ? st.message.zh : st.message.en) : tr.s["licences.voice"]
    readonly property var st: licencesVm.state
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        T {
            Layout.fillWidth: true
            visible: st.holder !== ""
            text: tr.s["licences.holder"] + st.holder
            font.pixelSize: Theme.subtitle
            font.bold: true
        }
        T { Layout.fillWidth: true; visible: st.step === "loading"; text: tr.s["licences.loading"]; color: Theme.primary }
        T { Layout.fillWidth: true; visible: st.step === "none"; text: tr.s["licences.none"]; color: Theme.textMuted }

        Card {
            objectName: "licencesUnavailable"
            Layout.fillWidth: true
            visible: st.step === "unavailable"
            border.color: Theme.warn
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap / 2
                T { width: parent.width; text: "⚠  " + tr.s["licences.unavailable"]; font.pixelSize: Theme.subtitle; font.bold: true; color: Theme.warn }
                T { width: parent.width; text: zh ? st.message.zh : st.message.en }
            }
        }

        Card {
            Layout.fillWidth: true
            visible: st.printing !== ""
            border.color: st.printing === "failed" ? Theme.accent : Theme.ok
            border.width: 3
            T {
                objectName: "licencesPrintStatus"
                width: parent.width
                text: st.printing === "printing" ? tr.s["licences.printing"] : ((st.printing === "printed" ? "✓  " : "✕  ") + (zh ? st.printMsg.zh : st.printMsg.en))
                color: st.printing === "failed" ? Theme.accent : Theme.ok
                font.bold: true
            }
        }

        ListView {
            id: list
            objectName: "licencesList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.gap / 2
            model: st.licences
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded; width: 16 }
            delegate: Card {
                required property var modelData
                width: list.width - 20
                GridLayout {
                    width: parent.width
                    columns: Theme.portrait || Theme.elderly ? 1 : 2
                    columnSpacing: Theme.gap
                    Column {
                        Layout.fillWidth: true
                        spacing: 4
                        T { width: parent.width; text: zh ? modelData.typeName : modelData.typeNameEn; font.pixelSize: Theme.subtitle; font.bold: true }
                        T { width: parent.width; text: tr.s["licences.number"] + modelData.number; wrapMode: Text.WrapAnywhere }
                        T { width: parent.width; text: tr.s["licences.issuer"] + modelData.issuer; color: Theme.textMuted; font.pixelSize: Theme.small }
                        T { width: parent.width; text: tr.s["licences.valid"] + (modelData.validTo || tr.s["licences.long_term"]); color: Theme.textMuted; font.pixelSize: Theme.small }
                    }
                    ActionButton {
                        objectName: "printLicence_" + modelData.id
                        Layout.fillWidth: Theme.portrait || Theme.elderly
                        Layout.alignment: Qt.AlignVCenter
                        text: tr.s["licences.print"]
                        enabled: st.printing !== "printing"
                        onClicked: licencesVm.print(modelData.id)
                    }
                }
            }
        }
        T { Layout.fillWidth: true; visible: st.step === "list"; text: tr.s["licences.privacy"]; color: Theme.textMuted; font.pixelSize: Theme.small }
    }
}
