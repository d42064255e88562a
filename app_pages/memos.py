from ui.page_memos import render

render()
