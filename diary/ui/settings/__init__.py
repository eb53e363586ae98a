"""The Settings page's sections, one module each (see ``diary.ui.pages.settings_page``)."""
