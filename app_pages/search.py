from ui.page_search import render

render()
