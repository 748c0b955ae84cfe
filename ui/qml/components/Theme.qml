pragma Singleton
import QtQuick

// Colours and sizes for every screen. Elderly mode (长者模式, MIIT 适老化) scales text 1.5x,
// raises targets and uses darker text for contrast >= 4.5:1 everywhere. It is a citizen
// setting of one citizen's session: the clerk's and technician's screens and the hall TV (read
// by everyone, from afar, already large) keep the standard scale.
QtObject {
    readonly property bool staffScreen: ui.screen === "counter" || ui.screen === "technician" || ui.screen === "statistics"
    readonly property bool elderly: ui.elderly && !staffScreen && ui.screen !== "hall_display"
    readonly property real scale: elderly ? 1.5 : 1.0
    readonly property bool portrait: ui.orientation === "portrait"

    readonly property color primary: "#0B4F9C"       // on white: 8.1:1
    readonly property color primaryDark: "#083A73"
    readonly property color accent: "#B3261E"        // on white: 6.5:1
    readonly property color ok: "#1B6E3A"            // on white: 6.2:1
    readonly property color warn: "#8A5300"          // on white: 5.9:1
    readonly property color background: "#EEF2F7"
    readonly property color surface: "#FFFFFF"
    readonly property color line: "#C9D3E0"
    readonly property color text: elderly ? "#000000" : "#1A1A1A"
    readonly property color textMuted: elderly ? "#2B2B2B" : "#4A4A4A"   // on white: 8.9:1
    readonly property color textOnPrimary: "#FFFFFF"

    readonly property string font: ui.fontFamily
    readonly property int small: Math.round(22 * scale)
    readonly property int body: Math.round(28 * scale)
    readonly property int subtitle: Math.round(34 * scale)
    readonly property int title: Math.round(44 * scale)
    readonly property int display: Math.round(96 * scale)
    readonly property real lineHeight: elderly ? 1.35 : 1.2

    // Touch targets: >= 15 mm; on a 21.5" 1080p kiosk one px is ~0.25 mm, so 60 px = 15 mm.
    readonly property int targetMin: elderly ? 120 : 80
    readonly property int gap: Math.round(24 * (elderly ? 1.25 : 1.0))
    readonly property int radius: 16
}
