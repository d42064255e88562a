from ui.page_coding import render

render()
