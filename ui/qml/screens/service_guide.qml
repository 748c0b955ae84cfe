import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// Service guide: the materials checklist first (what people come back for), then conditions,
// time limits, fees, where, when and whom to call; the checklist can be printed.
Page {
    id: page
    objectName: "guideScreen"
    title: tr.s["guide.title"]
    voice: ((zh ? it.name : it.nameEn) || "") + "。" + tr.s["guide.voice"]
    readonly property var st: guideVm.state
    readonly property var it: st.item
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        T {
            Layout.fillWidth: true
            objectName: "guideName"
            text: ((zh ? it.name : it.nameEn) || tr.s["guide.none"]) + (!zh && it.name && it.nameEnMissing ? tr.s["common.zh_only"] : "")
            font.pixelSize: Theme.title
            font.bold: true
        }
        T {
            Layout.fillWidth: true
            visible: it.name !== undefined
            text: ((zh ? it.department : it.departmentEn) || "") + "  ·  " + (it.kind === 1 ? tr.s["guide.kind1"] : tr.s["guide.kind2"])
                  + "  ·  " + tr.s["guide.visits"].replace("%1", it.visits || 1)
            color: Theme.textMuted
        }

        // All of it laid out: the page scrolls (with its visible bar) when it is taller.
        Item {
            id: flick
            objectName: "guideScroll"
            Layout.fillWidth: true
            Layout.preferredHeight: body.implicitHeight
            implicitHeight: body.implicitHeight
            GridLayout {
                id: body
                width: flick.width
                columns: Theme.portrait ? 1 : 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap

                Card {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: 1
                    Column {
                        width: parent.width
                        spacing: Theme.gap / 2
                        T { width: parent.width; text: tr.s["guide.materials"]; font.pixelSize: Theme.subtitle; font.bold: true }
                        Repeater {
                            model: it.materials || []
                            // A checklist a person ticks off as they check their papers.
                            delegate: Row {
                                id: materialRow
                                required property var modelData
                                required property int index
                                property bool have: false
                                objectName: "material_" + index
                                width: parent.width
                                spacing: Theme.gap / 2
                                T { objectName: "materialBox_" + materialRow.index; text: materialRow.have ? "☑" : "☐"; font.pixelSize: Theme.subtitle
                                    color: materialRow.have ? Theme.ok : Theme.text }
                                TapHandler { onTapped: materialRow.have = !materialRow.have }
                                Accessible.role: Accessible.CheckBox
                                Accessible.checked: have
                                Accessible.name: zh ? modelData.name : modelData.nameEn
                                Column {
                                    width: parent.width - Theme.subtitle * 1.6
                                    T { width: parent.width; text: (index + 1) + ". " + (zh ? modelData.name : modelData.nameEn) + (modelData.required ? "" : "  " + tr.s["guide.optional"]); font.bold: modelData.required }
                                    T { width: parent.width; font.pixelSize: Theme.small; color: Theme.textMuted
                                        text: tr.s["guide.form." + modelData.form] + " × " + modelData.copies + ((zh ? modelData.note : modelData.noteEn) ? "  ·  " + (zh ? modelData.note : modelData.noteEn) : "") }
                                }
                            }
                        }
                    }
                }
                Card {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: 1
                    Column {
                        width: parent.width
                        spacing: Theme.gap / 2
                        T { width: parent.width; text: tr.s["guide.conditions"]; font.bold: true; font.pixelSize: Theme.subtitle }
                        T { width: parent.width; text: (zh ? it.conditions : it.conditionsEn) || "" }
                        T { width: parent.width; text: tr.s["guide.limits"].replace("%1", it.legalDays || 0).replace("%2", it.promisedDays || 0); font.bold: true }
                        // a field the catalog leaves empty is left out, not shown as a bare label
                        T { width: parent.width; visible: ((zh ? it.fee : it.feeEn) || "") !== ""; text: tr.s["guide.fee"] + ((zh ? it.fee : it.feeEn) || "") }
                        T { width: parent.width; visible: ((zh ? it.location : it.locationEn) || "") !== ""; text: tr.s["guide.location"] + ((zh ? it.location : it.locationEn) || "") }
                        T { width: parent.width; visible: ((zh ? it.hours : it.hoursEn) || "") !== ""; text: tr.s["guide.hours"] + ((zh ? it.hours : it.hoursEn) || "") }
                        T { width: parent.width; visible: (it.phone || "") !== ""; text: tr.s["guide.phone"] + (it.phone || "") }
                    }
                }
            }
        }
        T {
            Layout.fillWidth: true
            visible: st.printStatus !== "idle"
            text: tr.s["guide.print." + st.printStatus]
            color: st.printStatus === "failed" ? Theme.accent : Theme.ok
            font.bold: true
        }
        ActionButton {
            objectName: "guideApply"
            Layout.fillWidth: true
            kind: "ok"
            text: tr.s["guide.apply"]
            visible: it.code !== undefined
            onClicked: { applyVm.start(it.code); ui.go("apply") }
        }
    }

    actions: [
        ActionButton {
            objectName: "guideBack"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            kind: "secondary"
            text: tr.s["guide.back"]
            onClicked: ui.go("item_search")
        },
        ActionButton {
            objectName: "guidePrint"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            kind: "secondary"
            text: tr.s["guide.print"]
            enabled: st.printStatus !== "printing" && it.code !== undefined
            onClicked: guideVm.printChecklist()
        },
        ActionButton {
            objectName: "guideTake"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            visible: (it.category || "") !== ""
            text: tr.s["guide.take"]
            onClicked: guideVm.takeNumber()
        }
    ]
}
