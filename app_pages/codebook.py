from ui.page_codebook import render

render()
