import QtQuick
import "."

// Body text with the theme's font, size, colour and line spacing (>= 1.3 in elderly mode).
Text {
    color: Theme.text
    font.family: Theme.font
    font.pixelSize: Theme.body
    wrapMode: Text.WordWrap
    lineHeight: Theme.lineHeight
}
