import QtQuick
import QtQuick.Layouts
import "../components"

// Appointment check-in: card or booking QR -> matched booking -> priority ticket; every
// refusal in one sentence with what to do instead.
Page {
    id: page
    objectName: "appointmentScreen"
    title: tr.s["appt.title"]
    voice: st.step === "refused" ? st.refusalText : tr.s["appt.voice"]
    readonly property var st: appointmentVm.state
    readonly property var bk: st.booking
    readonly property bool zh: tr.lang === "zh"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        // Step 1: identify
        Card {
            Layout.fillWidth: true
            visible: st.step === "identify" || st.step === "matching"
            Column {
                width: parent.width
                spacing: Theme.gap
                T { width: parent.width; text: st.step === "matching" ? tr.s["appt.matching"] : tr.s["appt.how"]; font.pixelSize: Theme.subtitle; font.bold: true }
                Row {
                    width: parent.width
                    spacing: Theme.gap / 2
                    Icon { width: Theme.title; height: width; kind: "id_card" }
                    T { width: parent.width - Theme.title - parent.spacing; text: tr.s["identify.id_card.how"] }
                }
                Row {
                    width: parent.width
                    spacing: Theme.gap / 2
                    Icon { width: Theme.title; height: width; kind: "qr" }
                    T { width: parent.width - Theme.title - parent.spacing; text: tr.s["appt.qr.how"] }
                }
            }
        }

        // Refusal: the core's one sentence (what happened and what to do)
        Card {
            objectName: "apptRefusal"
            Layout.fillWidth: true
            visible: st.step === "refused"
            border.color: Theme.accent
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap
                T { objectName: "apptRefusalText"; width: parent.width; text: "✕  " + st.refusalText; font.pixelSize: Theme.subtitle; font.bold: true; color: Theme.accent }
            }
        }

        GridLayout {
        Layout.fillWidth: true
        columns: Theme.portrait ? 1 : 2
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap
        // Matched booking and ticket
        Card {
            objectName: "apptBooking"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop
            visible: st.step === "done" || (st.step === "refused" && bk.item !== undefined)
            Column {
                width: parent.width
                spacing: Theme.gap / 2
                T { width: parent.width; text: tr.s["appt.booking"]; color: Theme.textMuted }
                T { width: parent.width; text: (zh ? bk.item : bk.itemEn) || ""; font.pixelSize: Theme.subtitle; font.bold: true }
                T { width: parent.width; text: tr.s["appt.slot"] + (bk.slot || "") }
                T { width: parent.width; text: tr.s["appt.category"] + ((zh ? bk.categoryName : bk.categoryNameEn) || "") }
                T { width: parent.width; visible: (bk.holder || "") !== ""; text: tr.s["take.confirm.holder"] + (bk.holder || "") }
            }
        }
        Card {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop
            visible: st.step === "done"
            border.color: Theme.ok
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap / 2
                T { width: parent.width; text: "✓  " + tr.s["appt.checked_in"]; font.pixelSize: Theme.subtitle; font.bold: true; color: Theme.ok }
                T { objectName: "apptTicket"; width: parent.width; text: st.ticket.number || ""; font.pixelSize: Theme.display; font.bold: true; color: Theme.primary; horizontalAlignment: Text.AlignHCenter }
                T { width: parent.width; horizontalAlignment: Text.AlignHCenter
                    text: ((st.ticket.priority || "") !== "" ? "★ " + tr.s["priority." + st.ticket.priority] + "  ·  " : "")
                          + tr.s["take.confirm.ahead"].replace("%1", st.ticket.peopleAhead || 0) }
                T { width: parent.width; horizontalAlignment: Text.AlignHCenter; color: Theme.warn; font.bold: true
                    visible: (st.ticket.lateNote || "") !== ""
                    text: (tr.lang === "zh" ? st.ticket.lateNote : st.ticket.lateNoteEn) || "" }
                T { width: parent.width; text: tr.s["ticket.wait_call"]; horizontalAlignment: Text.AlignHCenter; color: Theme.textMuted }
            }
        }
        }
        Item { Layout.fillHeight: true }
    }
    actions: [
        // a code that did not work, a card not found: try again with the card or another code
        ActionButton {
            objectName: "apptRetry"
            Layout.fillWidth: true
            visible: st.step === "refused" && (st.refusal === "invalid_code" || st.refusal === "no_booking" || st.refusal === "offline")
            kind: "secondary"
            text: tr.s["appt.retry"]
            onClicked: appointmentVm.retry()
        },
        ActionButton {
            Layout.fillWidth: true
            visible: st.step === "refused" && (st.refusal === "too_late" || st.refusal === "no_booking" || st.refusal === "offline")
            kind: "secondary"
            text: tr.s["appt.normal_number"]
            onClicked: { appointmentVm.retry(); ui.go("take_number") }
        },
        ActionButton {
            objectName: "apptDone"
            Layout.fillWidth: true
            visible: st.step === "done" || st.step === "refused"
            text: tr.s["ticket.done"]
            onClicked: ui.goHome()
        }
    ]
}
