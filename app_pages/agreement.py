from ui.page_agreement import render

render()
