from ui.page_quotes import render

render()
