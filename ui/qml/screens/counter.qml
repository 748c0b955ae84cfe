import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

// The clerk's caller: current ticket (holder masked), next/recall/skip/transfer/pause/finish,
// rating request, waiting in my categories, served today.
Rectangle {
    id: counterScreen
    objectName: "counterScreen"
    color: Theme.background
    readonly property var st: counterVm.state
    readonly property var cur: st.current
    readonly property bool zh: tr.lang === "zh"
    readonly property bool hasCurrent: cur.number !== undefined
    // A hall member without its queue host: every press could only be refused, so none is offered.
    readonly property bool live: !st.hostLost

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Header { Layout.fillWidth: true; subtitle: tr.s["app.title.counter"] }
        Rectangle {
            objectName: "counterHostLost"
            Layout.fillWidth: true
            visible: !live
            implicitHeight: hostLostText.implicitHeight + Theme.gap
            color: "#FFF1D6"
            border.color: Theme.warn; border.width: 2
            T { id: hostLostText; objectName: "counterHostLostText"; anchors.centerIn: parent; width: parent.width - Theme.gap * 2; horizontalAlignment: Text.AlignHCenter; text: "⚠ " + tr.s["counter.host_lost"]; color: Theme.warn; font.pixelSize: Theme.subtitle; font.bold: true }
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.targetMin
            color: Theme.surface
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.gap; anchors.rightMargin: Theme.gap
                T { Layout.fillWidth: true; text: tr.s["counter.title"].replace("%1", st.counter); font.pixelSize: Theme.title; font.bold: true }
                T { text: tr.s["counter.served"].replace("%1", st.servedToday); font.pixelSize: Theme.subtitle }
                ActionButton { objectName: "counterStatistics"; Layout.leftMargin: Theme.gap; Layout.preferredHeight: Theme.targetMin - 8; kind: "secondary"; fontSize: Theme.body; text: tr.s["stats.open"]; onClicked: ui.go("statistics") }
                Rectangle {
                    Layout.leftMargin: Theme.gap
                    implicitWidth: pausedText.implicitWidth + Theme.gap * 2; implicitHeight: pausedText.implicitHeight + 12
                    radius: height / 2
                    color: st.paused ? "#FFF1D6" : "#E3F3E8"
                    border.color: st.paused ? Theme.warn : Theme.ok; border.width: 2
                    T { id: pausedText; anchors.centerIn: parent; text: st.paused ? "❚❚ " + tr.s["counter.paused"] : "● " + tr.s["counter.open"]; color: st.paused ? Theme.warn : Theme.ok; font.bold: true }
                }
            }
        }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap
            columns: Theme.portrait ? 1 : 2
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap

            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3
                spacing: Theme.gap
                Card {
                    objectName: "counterCurrent"
                    Layout.fillWidth: true
                    border.color: hasCurrent ? Theme.primary : Theme.line
                    border.width: hasCurrent ? 4 : 2
                    Column {
                        width: parent.width
                        spacing: 6
                        T { width: parent.width; text: tr.s["counter.current"]; color: Theme.textMuted }
                        T { objectName: "counterNumber"; width: parent.width; text: hasCurrent ? cur.number : tr.s["counter.none"]; font.pixelSize: hasCurrent ? (Theme.portrait ? Theme.display : Math.round(Theme.title * 1.5)) : Theme.subtitle; font.bold: true; color: Theme.primary }
                        T { width: parent.width; visible: hasCurrent; text: ((zh ? cur.categoryName : cur.categoryNameEn) || "") + ((zh ? cur.item : cur.itemEn) ? "  ·  " + (zh ? cur.item : cur.itemEn) : ""); font.pixelSize: Theme.subtitle }
                        T { objectName: "counterHolder"; width: parent.width; visible: hasCurrent && (cur.holder || "") !== ""; text: tr.s["take.confirm.holder"] + (cur.holder || "") }
                        T { width: parent.width; visible: hasCurrent && (cur.priority || "") !== ""; text: "★ " + (tr.s["priority." + cur.priority] || ""); color: Theme.ok; font.bold: true }
                        T { objectName: "counterOnline"; width: parent.width; visible: hasCurrent && cur.online === true; text: "◉ " + tr.s["channel.online"]; color: Theme.primary; font.bold: true }
                        T { width: parent.width; visible: hasCurrent; color: Theme.textMuted
                            text: tr.s["counter.called_at"].replace("%1", cur.calledAt || "").replace("%2", cur.waitedMin || 0) + (cur.recalls ? "  ·  " + tr.s["counter.recalls"].replace("%1", cur.recalls) : "") }
                        T { width: parent.width; visible: st.rating !== ""; font.bold: true; color: Theme.primary
                            text: st.rating === "received" ? tr.s["counter.rating.received"].replace("%1", tr.s["eval.level" + st.ratingLevel]) : tr.s["counter.rating.requested"] }
                    }
                }
                GridLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: Theme.targetMin * 2 + Theme.gap
                    columns: 4
                    rowSpacing: Theme.gap / 2
                    columnSpacing: Theme.gap / 2
                    ActionButton { objectName: "act_next"; Layout.fillWidth: true; Layout.fillHeight: true; Layout.columnSpan: 2; text: "▶ " + tr.s["counter.next"]; fontSize: Theme.title; enabled: live && !st.paused && !st.busy; onClicked: counterVm.act("next") }
                    ActionButton { objectName: "act_finish"; Layout.fillWidth: true; Layout.fillHeight: true; kind: "ok"; text: "✓ " + tr.s["counter.finish"]; enabled: live && hasCurrent; onClicked: counterVm.act("finish") }
                    ActionButton { objectName: "act_pause"; Layout.fillWidth: true; Layout.fillHeight: true; kind: st.paused ? "ok" : "danger"; text: st.paused ? tr.s["counter.resume"] : tr.s["counter.pause"]; enabled: live; onClicked: counterVm.act(st.paused ? "resume" : "pause") }
                    ActionButton { objectName: "act_recall"; Layout.fillWidth: true; Layout.fillHeight: true; kind: "secondary"; text: tr.s["counter.recall"]; enabled: live && hasCurrent; onClicked: counterVm.act("recall") }
                    ActionButton { objectName: "act_skip"; Layout.fillWidth: true; Layout.fillHeight: true; kind: "secondary"; text: tr.s["counter.skip"]; enabled: live && hasCurrent; onClicked: counterVm.act("skip") }
                    ActionButton { objectName: "act_transfer"; Layout.fillWidth: true; Layout.fillHeight: true; kind: "secondary"; text: tr.s["counter.transfer"]; enabled: live && hasCurrent; onClicked: transferBox.visible = true }
                    ActionButton { objectName: "act_rate"; Layout.fillWidth: true; Layout.fillHeight: true; kind: "secondary"; text: tr.s["counter.rate"]; enabled: live && hasCurrent; onClicked: counterVm.act("rate") }
                }
                T { objectName: "counterMessage"; Layout.fillWidth: true; visible: st.messageText !== "" || st.messageKey !== ""; text: st.messageText !== "" ? st.messageText : (st.messageKey !== "" ? tr.s[st.messageKey] : ""); color: Theme.accent; font.bold: true }
            }

            Card {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 2
                Layout.maximumHeight: Theme.portrait ? 560 : 100000
                ColumnLayout {
                    anchors.fill: parent
                    spacing: Theme.gap / 2
                    T { Layout.fillWidth: true; text: tr.s["counter.waiting"].replace("%1", st.waitingCount); font.pixelSize: Theme.subtitle; font.bold: true }
                    ListView {
                        id: waitList
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        model: st.waiting
                        delegate: RowLayout {
                            required property var modelData
                            width: waitList.width
                            height: Theme.targetMin * 0.75
                            T { Layout.preferredWidth: Theme.body * 5; text: modelData.number; font.bold: true; font.pixelSize: Theme.subtitle }
                            T { Layout.fillWidth: true; text: (modelData.priority ? "★ " + (tr.s["priority." + modelData.priority] || "") + " " : "") + (modelData.online ? "◉ " + tr.s["channel.online"] : ""); color: Theme.ok }
                            T { text: tr.s["counter.waited"].replace("%1", modelData.waitedMin); color: Theme.textMuted }
                        }
                    }
                }
            }
        }
    }

    // Transfer target chooser
    Rectangle {
        id: transferBox
        objectName: "transferBox"
        anchors.fill: parent
        visible: false
        color: "#99000000"
        TapHandler { onTapped: transferBox.visible = false }
        Card {
            anchors.centerIn: parent
            width: Math.min(parent.width - Theme.gap * 4, 900)
            Column {
                width: parent.width
                spacing: Theme.gap / 2
                T { width: parent.width; text: tr.s["counter.transfer_to"]; font.pixelSize: Theme.subtitle; font.bold: true }
                Repeater {
                    model: st.transferTargets
                    delegate: ActionButton {
                        required property var modelData
                        width: parent.width
                        kind: "secondary"
                        text: modelData.code + "  " + (zh ? modelData.name : modelData.nameEn)
                        onClicked: { transferBox.visible = false; counterVm.request("transfer", modelData.code) }
                    }
                }
                ActionButton { width: parent.width; text: tr.s["common.back"]; onClicked: transferBox.visible = false }
            }
        }
    }
}
