import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// Technician mode: PIN pad (or admin card) first; then device status, tests, serial settings
// tested before saving, sync, config, logs, diagnostics bundle, and the only exit to the desktop.
Rectangle {
    id: tech
    objectName: "technicianScreen"
    color: Theme.background
    readonly property var st: techVm.state

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.targetMin + Theme.gap
            color: "#2B2F36"
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.gap / 2
                spacing: Theme.gap
                T { Layout.fillWidth: true; Layout.fillHeight: true; text: tr.s["tech.title"]; color: "#FFFFFF"; font.pixelSize: Theme.title; font.bold: true
                    verticalAlignment: Text.AlignVCenter; fontSizeMode: Text.Fit; minimumPixelSize: Theme.small; wrapMode: Text.WordWrap; lineHeight: 1.0; elide: Text.ElideRight; maximumLineCount: 2 }
                ActionButton { objectName: "techStatistics"; Layout.fillHeight: true; visible: st.unlocked; kind: "secondary"; text: tr.s["stats.open"]; onClicked: ui.go("statistics") }
                ActionButton { objectName: "techLeave"; Layout.fillHeight: true; kind: "secondary"; text: tr.s["tech.leave"]; onClicked: techVm.leave() }
                ActionButton { objectName: "techExit"; Layout.fillHeight: true; visible: st.unlocked; kind: "danger"; text: tr.s["tech.exit"]; onClicked: techVm.exitToDesktop() }
            }
        }

        // PIN pad
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !st.unlocked
            Column {
                anchors.centerIn: parent
                width: Math.min(parent.width - Theme.gap * 2, 640)
                spacing: Theme.gap
                T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["tech.pin"]; font.pixelSize: Theme.subtitle; font.bold: true }
                T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["tech.card_hint"]; color: Theme.textMuted; font.pixelSize: Theme.small }
                T { objectName: "pinDots"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: "●".repeat(st.pinLength) + "○".repeat(Math.max(0, 6 - st.pinLength)); font.pixelSize: Theme.title }
                T {
                    objectName: "pinMessage"
                    width: parent.width; horizontalAlignment: Text.AlignHCenter
                    visible: st.messageKey !== ""
                    text: st.messageKey === "" ? "" : tr.s[st.messageKey].replace("%1", 5 - st.failures).replace("%2", Math.ceil(st.lockedFor / 60))
                    color: Theme.accent; font.bold: true
                }
                GridLayout {
                    width: parent.width
                    columns: 3
                    rowSpacing: Theme.gap / 2
                    columnSpacing: Theme.gap / 2
                    Repeater {
                        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
                        delegate: ActionButton {
                            required property string modelData
                            objectName: "pin_" + (modelData === "⌫" ? "back" : modelData)
                            Layout.fillWidth: true
                            kind: modelData === "OK" ? "primary" : "secondary"
                            text: modelData === "OK" ? tr.s["tech.ok"] : modelData
                            fontSize: Theme.title
                            onClicked: modelData === "OK" ? techVm.submitPin() : modelData === "⌫" ? techVm.backspace() : techVm.pressDigit(modelData)
                        }
                    }
                }
            }
        }

        // Pages
        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: st.unlocked
            spacing: 0
            Rectangle {
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.portrait ? Math.round(300 * Math.min(Theme.scale, 1.25)) : Math.round(340 * Math.min(Theme.scale, 1.25))
                color: Theme.surface
                Column {
                    anchors.fill: parent
                    anchors.margins: Theme.gap / 2
                    spacing: Theme.gap / 3
                    Repeater {
                        model: ["devices", "tests", "serial", "sync", "config", "logs", "diagnostics"]
                        delegate: Rectangle {
                            required property string modelData
                            objectName: "techPage_" + modelData
                            width: parent.width
                            height: Theme.targetMin
                            radius: Theme.radius
                            color: st.page === modelData ? Theme.primary : "transparent"
                            T { anchors.verticalCenter: parent.verticalCenter; x: Theme.gap / 2; width: parent.width - Theme.gap; text: (st.page === modelData ? "▶ " : "") + tr.s["tech.page." + modelData]; color: st.page === modelData ? "#FFFFFF" : Theme.text; font.bold: true; elide: Text.ElideRight; maximumLineCount: 1 }
                            TapHandler { onTapped: techVm.setPage(modelData) }
                        }
                    }
                }
            }
            Flickable {
                id: pageFlick
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.margins: Theme.gap
                clip: true
                contentHeight: pageBody.implicitHeight
                ScrollBar.vertical: ScrollBar { width: 16 }
                Column {
                    id: pageBody
                    width: pageFlick.width - 20
                    spacing: Theme.gap / 2

                    // devices + tests
                    Repeater {
                        model: st.page === "devices" || st.page === "tests" ? st.devices : []
                        delegate: Card {
                            required property var modelData
                            width: pageBody.width
                            readonly property var res: st.testResults[modelData.name]
                            RowLayout {
                                width: parent.width
                                spacing: Theme.gap / 2
                                Column {
                                    Layout.fillWidth: true
                                    T { width: parent.width; text: modelData.name + "  (" + modelData.kind + " · " + modelData.driver + ")"; font.bold: true }
                                    T { width: parent.width; text: (modelData.state === "idle" || modelData.state === "busy" ? "● " : "✕ ") + tr.s["tech.state"] + (tr.s["tech.state." + modelData.state] || modelData.state); color: modelData.state === "idle" || modelData.state === "busy" ? Theme.ok : Theme.accent }
                                    T { width: parent.width; visible: (modelData.lastError || "") !== ""; text: tr.s["tech.last_error"] + (tr.s["tech.error." + (modelData.lastErrorCode || "")] ? ((modelData.lastErrorAt || "") + " " + tr.s["tech.error." + modelData.lastErrorCode]).trim() : (modelData.lastError || "")); color: Theme.textMuted; font.pixelSize: Theme.small }
                                    T { width: parent.width; visible: (modelData.detail || "") !== ""; text: modelData.detail || ""; color: Theme.textMuted; font.pixelSize: Theme.small }
                                    T { width: parent.width; visible: res !== undefined; text: res === undefined ? "" : res.ok === null ? tr.s["tech.testing"] : (res.ok ? "✓ " : "✕ ") + res.text; color: res !== undefined && res.ok === false ? Theme.accent : Theme.ok }
                                }
                                ActionButton { visible: st.page === "tests"; kind: "secondary"; fontSize: Theme.body; text: tr.s["tech.run_test"]; onClicked: techVm.runTest(modelData.name, modelData.kind) }
                            }
                        }
                    }

                    // serial
                    Column {
                        width: pageBody.width
                        visible: st.page === "serial"
                        spacing: Theme.gap / 2
                        RowLayout {
                            width: parent.width
                            T { Layout.fillWidth: true; text: tr.s["tech.ports"] + (st.ports.length ? st.ports.join(", ") : "—") }
                            ActionButton { kind: "secondary"; fontSize: Theme.body; text: tr.s["tech.detect"]; onClicked: techVm.detectPorts() }
                        }
                        Repeater {
                            model: st.serialDevices
                            delegate: Card {
                                required property var modelData
                                width: pageBody.width
                                RowLayout {
                                    width: parent.width
                                    spacing: Theme.gap / 2
                                    T { Layout.fillWidth: true; text: modelData.name + "\n" + modelData.port + " @ " + modelData.baud; font.bold: true }
                                    ActionButton { kind: "secondary"; fontSize: Theme.body; text: tr.s["tech.test_port"]; onClicked: techVm.testPort(modelData.name, modelData.port, modelData.baud) }
                                }
                            }
                        }
                        T { width: parent.width; visible: st.portTest.name !== undefined
                            text: st.portTest.name === undefined ? "" : st.portTest.ok === null ? tr.s["tech.testing"] : (st.portTest.ok ? "✓ " : "✕ ") + st.portTest.text
                            color: st.portTest.ok === false ? Theme.accent : Theme.ok }
                        ActionButton { objectName: "savePort"; enabled: st.portTest.ok === true; text: tr.s["tech.save_port"]; onClicked: techVm.savePort() }
                    }

                    // sync
                    Column {
                        width: pageBody.width
                        visible: st.page === "sync"
                        spacing: Theme.gap / 2
                        T { width: parent.width; text: (st.sync.online ? "● " + tr.s["common.online"] : "✕ " + tr.s["common.offline"]); font.bold: true; color: st.sync.online ? Theme.ok : Theme.accent }
                        T { width: parent.width; text: tr.s["tech.sync.last_push"] + (st.sync.lastPush || "—") + "\n" + tr.s["tech.sync.last_pull"] + (st.sync.lastPull || "—") }
                        T { width: parent.width; text: tr.s["tech.sync.outbox"].replace("%1", st.sync.outbox || 0) + "   " + tr.s["tech.sync.quarantine"].replace("%1", st.sync.quarantine || 0); font.bold: true }
                        T { objectName: "techApplications"; width: parent.width; text: tr.s["tech.sync.applications"].replace("%1", st.sync.applications || 0) + "   " + tr.s["tech.sync.rejected"].replace("%1", st.sync.rejected || 0); font.bold: true; color: st.sync.rejected ? Theme.accent : Theme.text }
                        T { width: parent.width; visible: (st.sync.lastError || "") !== ""; text: tr.s["tech.last_error"] + (st.sync.lastError || ""); color: Theme.accent }
                        Repeater { model: st.rejectedApplications
                            delegate: T { required property var modelData; width: pageBody.width; text: "✕ " + tr.s["tech.sync.application"] + " " + modelData.id.slice(0, 8) + " · " + modelData.at.replace("T", " ") + " · " + modelData.reason; font.pixelSize: Theme.small; color: Theme.accent } }
                        Repeater { model: st.quarantine
                            delegate: T { required property var modelData; width: pageBody.width; text: "✕ " + modelData.type + " · " + modelData.reason; font.pixelSize: Theme.small } }
                        Repeater { model: st.outbox
                            delegate: T { required property var modelData; width: pageBody.width; text: "• " + modelData.type + " · " + modelData.at + (modelData.tries ? " · ×" + modelData.tries : ""); font.pixelSize: Theme.small } }
                    }

                    // config
                    Column {
                        width: pageBody.width
                        visible: st.page === "config"
                        spacing: Theme.gap / 2
                        T { width: parent.width; text: st.configErrors.length ? "✕ " + tr.s["tech.config.invalid"] : "✓ " + tr.s["tech.config.valid"]; font.bold: true; color: st.configErrors.length ? Theme.accent : Theme.ok }
                        Repeater { model: st.configErrors; delegate: T { required property string modelData; width: pageBody.width; text: "• " + modelData; color: Theme.accent } }
                        Text { width: parent.width; text: st.configText; font.family: "monospace"; font.pixelSize: Theme.small; wrapMode: Text.WrapAnywhere; color: Theme.text }
                    }

                    // logs
                    Text {
                        width: pageBody.width
                        visible: st.page === "logs"
                        text: st.logLines.join("\n")
                        font.family: "monospace"; font.pixelSize: Math.round(Theme.small * 0.8); wrapMode: Text.WrapAnywhere; color: Theme.text
                    }

                    // diagnostics
                    Column {
                        width: pageBody.width
                        visible: st.page === "diagnostics"
                        spacing: Theme.gap / 2
                        T { width: parent.width; text: tr.s["tech.diag.what"] }
                        ActionButton { objectName: "exportBundle"; text: tr.s["tech.diag.export"]; enabled: !st.busy; onClicked: techVm.exportBundle() }
                        T { width: parent.width; visible: st.bundlePath !== ""; text: "✓ " + st.bundlePath; color: Theme.ok; wrapMode: Text.WrapAnywhere }
                    }
                    T { width: pageBody.width; visible: st.messageKey !== "" && st.unlocked; text: st.messageKey !== "" ? tr.s[st.messageKey] : ""; color: Theme.accent }
                }
            }
        }
    }
}
