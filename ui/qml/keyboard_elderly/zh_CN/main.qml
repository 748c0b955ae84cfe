// Elderly mode's keyboard (issue 14): seven letter keys a row, in alphabetical order, so each
// key is at least the theme's 120 px touch target wide on a half-landscape or a portrait panel
// (the standard layouts put 10-11 keys a row: 91-101 px). Used only while elderly mode is on
// (item_search.qml sets VirtualKeyboardSettings.layoutPath); no symbols page: a search needs
// letters only.
import QtQuick
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components

KeyboardLayout {
    function createInputMethod() {
        return Qt.createQmlObject('import QtQuick; import QtQuick.VirtualKeyboard.Plugins; PinyinInputMethod {}', parent, "inputMethod.qml")
    }
    keyWeight: 160
    KeyboardRow {
        Key { key: Qt.Key_A; text: "a" }
        Key { key: Qt.Key_B; text: "b" }
        Key { key: Qt.Key_C; text: "c" }
        Key { key: Qt.Key_D; text: "d" }
        Key { key: Qt.Key_E; text: "e" }
        Key { key: Qt.Key_F; text: "f" }
        Key { key: Qt.Key_G; text: "g" }
    }
    KeyboardRow {
        Key { key: Qt.Key_H; text: "h" }
        Key { key: Qt.Key_I; text: "i" }
        Key { key: Qt.Key_J; text: "j" }
        Key { key: Qt.Key_K; text: "k" }
        Key { key: Qt.Key_L; text: "l" }
        Key { key: Qt.Key_M; text: "m" }
        Key { key: Qt.Key_N; text: "n" }
    }
    KeyboardRow {
        Key { key: Qt.Key_O; text: "o" }
        Key { key: Qt.Key_P; text: "p" }
        Key { key: Qt.Key_Q; text: "q" }
        Key { key: Qt.Key_R; text: "r" }
        Key { key: Qt.Key_S; text: "s" }
        Key { key: Qt.Key_T; text: "t" }
        Key { key: Qt.Key_U; text: "u" }
    }
    KeyboardRow {
        Key { key: Qt.Key_V; text: "v" }
        Key { key: Qt.Key_W; text: "w" }
        Key { key: Qt.Key_X; text: "x" }
        Key { key: Qt.Key_Y; text: "y" }
        Key { key: Qt.Key_Z; text: "z" }
        BackspaceKey { weight: 320 }
    }
    KeyboardRow {
        ChangeLanguageKey { weight: 160 }
        SpaceKey { weight: 640 }
        EnterKey { weight: 320 }
    }
}
