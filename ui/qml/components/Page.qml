import QtQuick
import QtQuick.Layouts
import "."

// Every citizen screen: header, a title bar with "home" and (elderly mode) "read aloud",
// then the screen's own content filling the rest, and its actions pinned at the bottom.
// Content taller than the space left (elderly mode, English, landscape) scrolls; the actions
// never scroll away, so the screen's main action is always on screen.
Item {
    id: page
    property string title: ""
    property string voice: ""
    property bool showHome: true
    property bool showHeader: true
    default property alias content: bodyContent.data
    property alias actions: actionBar.data

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Header { Layout.fillWidth: true; visible: page.showHeader }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: Theme.targetMin + Theme.gap
            color: Theme.surface
            Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 2; color: Theme.line }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.gap
                anchors.rightMargin: Theme.gap
                anchors.topMargin: Theme.gap / 2
                anchors.bottomMargin: Theme.gap / 2
                spacing: Theme.gap
                ActionButton {
                    objectName: "homeButton"
                    visible: page.showHome
                    kind: "secondary"
                    text: "‹ " + tr.s["common.home"]
                    Layout.fillHeight: true
                    onClicked: ui.goHome()
                }
                T {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    text: page.title
                    font.pixelSize: Theme.title
                    font.bold: true
                    verticalAlignment: Text.AlignVCenter
                    fontSizeMode: Text.Fit
                    minimumPixelSize: Theme.body
                    wrapMode: Text.WordWrap
                    elide: Text.ElideRight
                    maximumLineCount: 2
                    lineHeight: 1.0
                }
                ActionButton {
                    objectName: "readAloud"
                    visible: Theme.elderly && page.voice !== ""
                    kind: "secondary"
                    text: tr.s["common.read_aloud"]
                    Layout.fillHeight: true
                    onClicked: ui.speak(page.voice)
                }
            }
        }
        Flickable {
            id: body
            objectName: "pageBody"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: Theme.gap
            clip: true
            contentWidth: width
            contentHeight: bodyContent.height
            boundsBehavior: Flickable.StopAtBounds
            flickableDirection: Flickable.VerticalFlick
            Item {
                id: bodyContent
                width: body.width
                // as tall as the space, or as tall as the content needs (then it scrolls)
                height: {
                    var h = body.height
                    for (var i = 0; i < children.length; ++i)
                        if (children[i].visible) h = Math.max(h, children[i].implicitHeight)
                    return h
                }
            }
            // More below: a scroll bar a person can see (and drag the page by).
            Rectangle {
                objectName: "pageScrollBar"
                parent: page   // in the page's margin beside the body, clear of its cards
                visible: body.contentHeight > body.height + 1
                x: body.x + body.width + (Theme.gap - width) / 2
                width: 12
                radius: 6
                color: Theme.textMuted
                y: body.y + body.visibleArea.yPosition * body.height
                height: body.visibleArea.heightRatio * body.height
            }
        }
        // A finished errand: going home by itself, and saying so.
        T {
            objectName: "homeCountdown"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.gap
            Layout.rightMargin: Theme.gap
            Layout.bottomMargin: Theme.gap / 2
            visible: homeCountdown.active
            horizontalAlignment: Text.AlignHCenter
            text: tr.s["common.home_in"].replace("%1", homeCountdown.remaining)
            color: Theme.textMuted
        }
        RowLayout {
            id: actionBar
            objectName: "pageActions"
            Layout.fillWidth: true
            Layout.fillHeight: false   // a layout fills by default; the body takes the space
            Layout.leftMargin: Theme.gap
            Layout.rightMargin: Theme.gap
            Layout.bottomMargin: visible ? Theme.gap : 0
            visible: children.length > 0
            spacing: Theme.gap
        }
    }
    Component.onCompleted: if (Theme.elderly && voice !== "") ui.speak(voice)
}
