import QtQuick
import QtQuick.Layouts
import "../components"

// Failure screens in plain language: what happened, what to do now. Never a traceback.
Page {
    id: page
    objectName: "errorScreen"
    title: tr.s["error.title"]
    voice: tr.s["error." + st.kind + ".title"] + "。" + tr.s["error." + st.kind + ".body"]
    readonly property var st: errorVm.state

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap * 1.5
        Item { Layout.fillHeight: true }
        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            width: Math.round(200 * Theme.scale); height: width; radius: width / 2
            color: "#FBE4E2"
            border.color: Theme.accent
            border.width: 8
            T { anchors.centerIn: parent; text: "!"; font.pixelSize: Theme.display; font.bold: true; color: Theme.accent }
        }
        T {
            objectName: "errorTitle"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: tr.s["error." + st.kind + ".title"]
            font.pixelSize: Theme.title
            font.bold: true
        }
        T {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: tr.s["error." + st.kind + ".body"]
            font.pixelSize: Theme.subtitle
        }
        T {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            visible: st.ticketNumber !== ""
            text: tr.s["error.ticket_kept"].replace("%1", st.ticketNumber)
            font.bold: true
            color: Theme.primary
        }
        T {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            visible: st.reference !== ""
            text: tr.s["error.reference"] + st.reference
            color: Theme.textMuted
            font.pixelSize: Theme.small
        }
        Item { Layout.fillHeight: true }
    }
    actions: ActionButton {
        objectName: "errorDone"
        Layout.fillWidth: true
        text: tr.s["ticket.done"]
        onClicked: ui.goHome()
    }
}
