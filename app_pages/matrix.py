from ui.page_matrix import render

render()
