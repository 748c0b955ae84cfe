import QtQuick
import QtQuick.Layouts
import QtGraphs
import "../components"

// Today's figures for the hall manager: waits per category and counter (QtGraphs bar charts),
// the appointment 10-minute target, evaluations; CSV export.
Rectangle {
    id: stats
    objectName: "statisticsScreen"
    color: Theme.background
    readonly property var st: statsVm.state
    readonly property bool zh: tr.lang === "zh"
    function maxOf(rows, key, floor) { var m = floor; for (var i = 0; i < rows.length; i++) m = Math.max(m, rows[i][key] || 0); return Math.ceil(m * 1.15) }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Header { Layout.fillWidth: true }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.targetMin + Theme.gap
            color: Theme.surface
            RowLayout {
                anchors.fill: parent
                anchors.margins: Theme.gap / 2
                spacing: Theme.gap
                ActionButton { kind: "secondary"; Layout.fillHeight: true; text: "‹ " + tr.s["common.home"]; onClicked: ui.goHome() }
                T { Layout.fillWidth: true; text: tr.s["stats.title"] + "  " + st.date; font.pixelSize: Theme.title; font.bold: true; elide: Text.ElideRight; maximumLineCount: 1 }
                T { visible: st.exportPath !== "" || st.exportError !== ""; text: st.exportError !== "" ? "✕ " + st.exportError : "✓ " + tr.s["stats.exported"]; color: st.exportError !== "" ? Theme.accent : Theme.ok; font.pixelSize: Theme.small }
                ActionButton { objectName: "exportCsv"; Layout.fillHeight: true; text: tr.s["stats.export"]; onClicked: statsVm.exportCsv() }
            }
        }
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap
            columns: Theme.portrait ? 1 : 2
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap

            Card {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.minimumHeight: 360
                ColumnLayout {
                    anchors.fill: parent
                    T { text: tr.s["stats.wait_by_category"]; font.bold: true }
                    GraphsView {
                        objectName: "waitChart"
                        Layout.fillWidth: true; Layout.fillHeight: true; Layout.minimumHeight: 260
                        theme: GraphsTheme { colorScheme: GraphsTheme.ColorScheme.Light; seriesColors: [Theme.primary, Theme.warn]; labelFont.pixelSize: Theme.small; labelFont.family: Theme.font; backgroundVisible: false; plotAreaBackgroundColor: "#FFFFFF" }
                        axisX: BarCategoryAxis { categories: st.categories.map(function(c) { return c.code }) }
                        axisY: ValueAxis { min: 0; max: stats.maxOf(st.categories, "p95Wait", 10); tickInterval: 10; labelDecimals: 0 }
                        BarSeries {
                            BarSet { label: tr.s["stats.avg"]; values: st.categories.map(function(c) { return c.avgWait }) }
                            BarSet { label: tr.s["stats.p95"]; values: st.categories.map(function(c) { return c.p95Wait }) }
                        }
                    }
                    // The legend in the bars' own colours (the chart's seriesColors, in order).
                    Flow {
                        objectName: "waitLegend"
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        Repeater {
                            model: [{color: Theme.primary, key: "stats.avg"}, {color: Theme.warn, key: "stats.p95"}]
                            delegate: Row {
                                required property var modelData
                                spacing: 8
                                Rectangle { width: Theme.small; height: Theme.small; anchors.verticalCenter: parent.verticalCenter; color: modelData.color }
                                T { text: tr.s[modelData.key]; font.pixelSize: Theme.small }
                            }
                        }
                        T { text: "(" + tr.s["stats.minutes"] + ")"; font.pixelSize: Theme.small; color: Theme.textMuted }
                    }
                    T { Layout.fillWidth: true; font.pixelSize: Theme.small; color: Theme.textMuted
                        text: st.categories.map(function(c) { return c.code + " " + (zh ? c.name : c.nameEn) }).join(" · ") }
                    T { objectName: "statsChannels"; Layout.fillWidth: true; font.pixelSize: Theme.small; color: Theme.textMuted; wrapMode: Text.WordWrap
                        visible: (st.channels || []).some(function(c) { return c.channel === "online" && c.issued > 0 })
                        text: (st.channels || []).map(function(c) { return tr.s["stats.channel." + c.channel] + " " + c.issued + " / " + tr.s["stats.served"] + " " + c.served + (c.channel === "online" ? " (" + tr.s["stats.online_arrived"].replace("%1", c.arrived).replace("%2", c.notArrived) + ")" : "") }).join(" · ") }
                }
            }
            Card {
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.minimumHeight: 360
                ColumnLayout {
                    anchors.fill: parent
                    T { text: tr.s["stats.served_by_counter"]; font.bold: true }
                    GraphsView {
                        objectName: "counterChart"
                        Layout.fillWidth: true; Layout.fillHeight: true; Layout.minimumHeight: 260
                        theme: GraphsTheme { colorScheme: GraphsTheme.ColorScheme.Light; seriesColors: [Theme.ok]; labelFont.pixelSize: Theme.small; labelFont.family: Theme.font; backgroundVisible: false; plotAreaBackgroundColor: "#FFFFFF" }
                        axisX: BarCategoryAxis { categories: st.counters.map(function(c) { return String(c.counter) }) }
                        axisY: ValueAxis { min: 0; max: stats.maxOf(st.counters, "served", 10); tickInterval: 10; labelDecimals: 0 }
                        BarSeries { BarSet { label: tr.s["stats.served"]; values: st.counters.map(function(c) { return c.served }) } }
                    }
                }
            }
            Card {
                objectName: "appointmentTarget"
                Layout.fillWidth: true
                Column {
                    width: parent.width
                    spacing: 8
                    T { width: parent.width; text: tr.s["stats.appt_target"].replace("%1", st.appointmentTargetMin); font.bold: true }
                    T { width: parent.width; text: st.appointmentPct.toFixed(1) + " %  (" + tr.s["stats.appt_count"].replace("%1", st.appointmentCount) + ")"; font.pixelSize: Theme.title; font.bold: true; color: st.appointmentPct >= 90 ? Theme.ok : Theme.warn }
                    Rectangle {
                        width: parent.width; height: 28; radius: 14; color: "#E3E8EF"; border.color: Theme.line
                        Rectangle { width: parent.width * Math.min(1, st.appointmentPct / 100); height: parent.height; radius: 14; color: st.appointmentPct >= 90 ? Theme.ok : Theme.warn }
                        Rectangle { x: parent.width * 0.9 - 2; width: 4; height: parent.height + 12; y: -6; color: Theme.text }
                    }
                    T { width: parent.width; text: tr.s["stats.appt_goal"]; color: Theme.textMuted; font.pixelSize: Theme.small }
                }
            }
            Card {
                objectName: "evaluationStats"
                Layout.fillWidth: true
                Column {
                    width: parent.width
                    spacing: 4
                    T { width: parent.width; text: tr.s["stats.evaluations"].replace("%1", st.evaluationAvg.toFixed(2)); font.bold: true }
                    Repeater {
                        model: [5, 4, 3, 2, 1]
                        delegate: RowLayout {
                            required property int modelData
                            width: parent.width
                            readonly property int count: st.evaluations[modelData - 1] || 0
                            readonly property int total: st.evaluations.reduce(function(a, b) { return a + b }, 0)
                            T { Layout.preferredWidth: Theme.body * 6; text: tr.s["eval.level" + modelData]; font.pixelSize: Theme.small }
                            Rectangle { Layout.fillWidth: true; height: Theme.small; color: "#E3E8EF"
                                Rectangle { height: parent.height; width: parent.width * (total ? count / total : 0); color: modelData >= 3 ? Theme.primary : Theme.accent } }
                            T { Layout.preferredWidth: Theme.body * 3; text: String(count); horizontalAlignment: Text.AlignRight; font.pixelSize: Theme.small }
                        }
                    }
                }
            }
        }
    }
}
