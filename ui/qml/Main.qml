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
}
