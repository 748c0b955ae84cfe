import QtQuick
import QtQuick.Layouts
import "../components"

// The ticket printed: its number, "please wait for your number", and the paper's preview.
Page {
    id: page
    objectName: "ticketScreen"
    title: tr.s["ticket.title"]
    voice: tr.s["ticket.voice"].replace("%1", tk.number || "")
    readonly property var st: ticketVm.state
    readonly property var tk: st.ticket
    readonly property bool zh: tr.lang === "zh"

    actions: ActionButton {
        objectName: "ticketDone"
        Layout.fillWidth: true
        text: tr.s["ticket.done"]
        onClicked: ui.goHome()
    }

    GridLayout {
        anchors.fill: parent
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap * 2
        rowSpacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.fillHeight: !Theme.portrait
            spacing: Theme.gap
            T {
                Layout.fillWidth: true
                text: st.printStatus === "failed" ? tr.s["ticket.print_failed"]
                      : st.printStatus === "printing" ? tr.s["ticket.printing"] : tr.s["ticket.take_it"]
                font.pixelSize: Theme.subtitle
                font.bold: true
                color: st.printStatus === "failed" ? Theme.accent : Theme.ok
            }
            T {
                objectName: "ticketNumber"
                Layout.fillWidth: true
                text: tk.number || ""
                font.pixelSize: Theme.display * (Theme.portrait ? 1.4 : 1.0)
                font.bold: true
                color: Theme.primary
                horizontalAlignment: Text.AlignHCenter
            }
            T {
                Layout.fillWidth: true
                text: tr.s["ticket.wait_call"]
                font.pixelSize: Theme.subtitle
                horizontalAlignment: Text.AlignHCenter
            }
            T {
                Layout.fillWidth: true
                text: tr.s["take.confirm.ahead"].replace("%1", tk.peopleAhead) + "  ·  " + tr.s["take.confirm.wait"].replace("%1", tk.estMin)
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textMuted
            }
            Item { Layout.fillHeight: true; visible: !Theme.portrait }
        }

        // Paper preview: what the printer prints, on a narrow white slip.
        Item {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            // the whole slip, never cut: the page scrolls when it is taller than the space
            Layout.minimumHeight: rendered.visible ? 0 : slip.implicitHeight + 60
            // The printer's rendering of exactly what it printed, when it makes one.
            Image {
                id: rendered
                objectName: "ticketPreviewImage"
                visible: (tk.previewPng || "") !== ""
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.top: parent.top
                width: Math.min(parent.width, 560)
                height: Math.min(parent.height, implicitHeight * width / Math.max(1, implicitWidth))
                fillMode: Image.PreserveAspectFit
                horizontalAlignment: Image.AlignHCenter
                verticalAlignment: Image.AlignTop
                cache: false
                source: visible ? "file://" + tk.previewPng + "?" + (tk.number || "") : ""
            }
            Rectangle {
                id: paper
                objectName: "ticketPreview"
                visible: !rendered.visible
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.top: parent.top
                width: Math.min(parent.width, 560)
                height: slip.implicitHeight + 60
                color: "#FFFFFF"
                border.color: "#9AA5B1"
                border.width: 2
                clip: true
                Column {
                    id: slip
                    x: 30; y: 30
                    width: paper.width - 60
                    spacing: 10
                    Text { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.family: Theme.font; font.pixelSize: 26; font.bold: true; color: "#000"; wrapMode: Text.WordWrap
                           text: zh ? (tk.hallName || ui.hallNameZh) : (tk.hallNameEn || ui.hallNameEn) }
                    Text { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.family: Theme.font; font.pixelSize: 24; color: "#000"; wrapMode: Text.WordWrap
                           text: zh ? (tk.categoryName || "") : (tk.categoryNameEn || "") }
                    Text { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.family: Theme.font; font.pixelSize: 110; font.bold: true; color: "#000"
                           text: tk.number || "" }
                    Text { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.family: Theme.font; font.pixelSize: 22; color: "#000"; visible: (tk.priority || "") !== ""
                           text: "★ " + (tr.s["priority." + tk.priority] || "") }
                    Rectangle { width: parent.width; height: 2; color: "#000" }
                    Text { width: parent.width; font.family: Theme.font; font.pixelSize: 22; color: "#000"; wrapMode: Text.WordWrap
                           text: tr.s["take.confirm.ahead"].replace("%1", tk.peopleAhead) + "\n" + tr.s["take.confirm.wait"].replace("%1", tk.estMin) }
                    Text { width: parent.width; font.family: Theme.font; font.pixelSize: 22; color: "#000"; wrapMode: Text.WordWrap; visible: (tk.counters || "") !== ""
                           text: tr.s["ticket.counters"] + (tk.counters || "") }
                    Text { width: parent.width; font.family: Theme.font; font.pixelSize: 22; color: "#000"; visible: (tk.holder || "") !== ""
                           text: tr.s["take.confirm.holder"] + (tk.holder || "") }
                    Text { width: parent.width; font.family: Theme.font; font.pixelSize: 22; color: "#000"
                           text: tr.s["ticket.issued"] + (tk.issuedAt || "") }
                    Rectangle { width: parent.width; height: 2; color: "#000" }
                    Text { width: parent.width; font.family: Theme.font; font.pixelSize: 20; color: "#000"; wrapMode: Text.WordWrap
                           text: tr.s["ticket.paper_note"] }
                }
            }
        }
    }
}
