"""The desktop app: Qt widgets over the DiaryService. Nothing below this package imports Qt."""
