import QtQuick
import QtQuick.Window
import "components"

// The one window. Screens are QML files under screens/, chosen by ui.screen.
Window {
    id: window
    width: ui.orientation === "portrait" ? 1080 : 1920
    height: ui.orientation === "portrait" ? 1920 : 1080
    visible: true
    color: Theme.background
    title: tr.s["app.title"]

    onClosing: (close) => { close.accepted = !ui.locked }

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors.fill: parent
        source: "screens/" + ui.screen + ".qml"
        asynchronous: false
    }

    // Technician entry: a long press (3 s) in the top-left corner; nothing visible to citizens.
    Item {
        objectName: "technicianCorner"
        width: 120
        height: 120
        visible: ui.screen !== "technician"
        TapHandler {
            longPressThreshold: 3
            onLongPressed: { techVm.lock(); ui.openTechnician() }
        }
    }

    // Idle countdown: "still there?" with a big button; at zero the session is wiped.
    Rectangle {
        objectName: "idleOverlay"
        anchors.fill: parent
        visible: idle.warning
        color: "#B3000000"
        Rectangle {
            anchors.centerIn: parent
            width: Math.min(parent.width - Theme.gap * 4, 900)
            height: idleCol.implicitHeight + Theme.gap * 3
            radius: Theme.radius
            color: Theme.surface
            Column {
                id: idleCol
                anchors.centerIn: parent
                width: parent.width - Theme.gap * 3
                spacing: Theme.gap
                T { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["idle.title"]; font.pixelSize: Theme.title; font.bold: true }
                T { objectName: "idleRemaining"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: tr.s["idle.body"].replace("%1", idle.remaining); font.pixelSize: Theme.subtitle }
                ActionButton { objectName: "idleContinue"; width: parent.width; text: tr.s["idle.continue"]; onClicked: idle.touch() }
            }
        }
    }
}
