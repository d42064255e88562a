from ui.page_project import render

render()
