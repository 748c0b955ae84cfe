import QtQuick
import QtQuick.Layouts
import "../components"

// Identify: ID card, QR code or social-security card; or continue without identity.
Page {
    objectName: "identifyScreen"
    title: tr.s["identify.title"]
    voice: offering ? tr.s["identify.booking.voice"].replace("%1", st.holder) : tr.s["identify.voice"]
    readonly property var st: identifyVm.state
    readonly property bool offering: st.status === "booking"

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        // A card holder with a booking today: greeted by (masked) name, check-in offered first.
        Card {
            objectName: "bookingOffer"
            Layout.fillWidth: true
            visible: offering
            border.color: Theme.ok
            border.width: 4
            Column {
                width: parent.width
                spacing: Theme.gap
                T {
                    objectName: "bookingGreeting"
                    width: parent.width
                    text: tr.s["identify.booking.hello"].replace("%1", st.holder)
                    font.pixelSize: Theme.title
                    font.bold: true
                }
                T {
                    width: parent.width
                    text: tr.s["identify.booking.today"].replace("%1", (st.booking || {}).slot || "")
                          .replace("%2", (st.booking || {}).categoryName || "")
                    font.pixelSize: Theme.subtitle
                }
                T { width: parent.width; text: tr.s["identify.booking.why"]; color: Theme.textMuted }
            }
        }

        Card {
            Layout.fillWidth: true
            objectName: "identifyStatus"
            readonly property bool hint: st.status === "waiting" && st.hintKey !== ""
            visible: st.status === "ok" || st.status === "error" || st.status === "reading" || hint
            border.color: st.status === "error" ? Theme.accent : hint ? Theme.primary : Theme.ok
            border.width: 4
            RowLayout {
                width: parent.width
                spacing: Theme.gap
                T {
                    text: st.status === "error" ? "✕" : st.status === "ok" ? "✓" : st.status === "waiting" ? "→" : "…"
                    font.pixelSize: Theme.display * 0.7
                    font.bold: true
                    color: st.status === "error" ? Theme.accent : Theme.ok
                }
                Column {
                    Layout.fillWidth: true
                    spacing: 6
                    T {
                        width: parent.width
                        font.pixelSize: Theme.subtitle
                        font.bold: true
                        text: st.status === "ok" ? tr.s["identify.ok"] : st.status === "reading" ? tr.s["identify.reading"]
                              : st.status === "waiting" ? (st.hintKey !== "" ? tr.s[st.hintKey] : "")
                              : (st.errorKey !== "" ? tr.s[st.errorKey] : "")
                    }
                    T {
                        objectName: "identifyHolder"
                        width: parent.width
                        visible: st.status === "ok"
                        text: st.holder + "    " + st.idMasked
                    }
                }
            }
        }

        Item { Layout.fillHeight: true; visible: offering }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !offering
            columns: Theme.portrait ? 1 : 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                // 社保卡 only where a card reader is connected
                model: [
                    {key: "id_card", glyph: "▭"},
                    {key: "qr", glyph: "▦"},
                    {key: "ss_card", glyph: "▤"}
                ].filter(function (m) { return m.key !== "ss_card" || st.ssCardReader })
                delegate: Card {
                    id: option
                    required property var modelData
                    objectName: "option_" + modelData.key
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    border.color: st.method === modelData.key ? Theme.primary : Theme.line
                    border.width: st.method === modelData.key ? 4 : 2
                    Layout.minimumHeight: optionRow.implicitHeight + padding * 2
                    RowLayout {
                        id: optionRow
                        anchors.fill: parent
                        spacing: Theme.gap
                        Rectangle {
                            Layout.preferredWidth: Math.round(130 * Theme.scale)
                            Layout.preferredHeight: Math.round(130 * Theme.scale)
                            Layout.alignment: Qt.AlignVCenter
                            radius: Theme.radius
                            color: "#E6EEF8"
                            Icon { anchors.centerIn: parent; width: parent.width * 0.7; height: width; kind: modelData.key }
                        }
                        Column {
                            Layout.fillWidth: true
                            Layout.alignment: Qt.AlignVCenter
                            spacing: 8
                            T { width: parent.width; text: tr.s["identify." + modelData.key]; font.pixelSize: Theme.subtitle; font.bold: true }
                            T { width: parent.width; text: tr.s["identify." + modelData.key + ".how"]; color: Theme.textMuted; font.pixelSize: Theme.portrait ? Theme.body : Theme.small }
                        }
                    }
                    // A tap marks this way and reads its how-to aloud (the card itself identifies).
                    TapHandler {
                        onTapped: {
                            identifyVm.explain(option.modelData.key)
                            ui.speak(tr.s["identify." + option.modelData.key + ".how"])
                        }
                    }
                    Accessible.role: Accessible.Button
                    Accessible.name: tr.s["identify." + modelData.key]
                }
            }
        }
    }

    actions: [
        ActionButton {
            objectName: "continueWithout"
            Layout.fillWidth: true
            visible: !offering && st.anonymousAllowed && st.purpose === "take_number"
            kind: "secondary"
            text: tr.s["identify.without"]
            onClicked: identifyVm.continueWithout()
        },
        ActionButton {
            objectName: "bookingDecline"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            visible: offering
            kind: "secondary"
            text: st.purpose === "case_progress" ? tr.s["identify.booking.no_case"] : tr.s["identify.booking.no"]
            onClicked: identifyVm.declineBooking()
        },
        ActionButton {
            objectName: "bookingCheckIn"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            visible: offering
            text: tr.s["identify.booking.check_in"]
            onClicked: identifyVm.acceptBooking()
        }
    ]
}
