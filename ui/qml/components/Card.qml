import QtQuick
import "."

// A white panel with padding; children go into the padded area.
Rectangle {
    id: card
    default property alias content: inner.data
    property int padding: Theme.gap
    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.line
    border.width: 2
    implicitHeight: inner.childrenRect.height + padding * 2
    Item {
        id: inner
        anchors.fill: parent
        anchors.margins: card.padding
    }
}
