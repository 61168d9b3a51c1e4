/* CKEditor customConfig for the admin: uploads carry Django's CSRF token and an alt text.
 *
 * Every image inserted through the image dialog must have 替换文本: the upload tab asks for it
 * before sending the file (the server refuses an upload without it), and the info tab refuses
 * OK while it is empty. Loaded once per page by CKEditor itself (config.customConfig).
 */
/* global CKEDITOR */
;(() => {
  const ALT_MISSING = "请填写替换文本：用一句话说明图片内容，供读屏软件朗读。"

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]")
    if (field) return field.value
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
    return match ? decodeURIComponent(match[1]) : ""
  }

  // Screen readers announce the editor's title; CKEditor's default is "富文本编辑器, id_entries-0-body".
  function editorTitle(name) {
    const match = /entries-(\d+)-body$/.exec(name)
    return match ? `条目正文（第${Number(match[1]) + 1}条）` : "正文"
  }

  CKEDITOR.editorConfig = function (config) {
    config.title = config.applicationTitle = editorTitle(this.name)
    // Runs after filetools opened the request (priority 5) and before it is sent (999).
    this.on("fileUploadRequest", (event) => {
      event.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", csrfToken())
      const dialog = CKEDITOR.dialog.getCurrent()
      if (dialog && dialog.getName() === "image") {
        event.data.requestData.alt_text = dialog.getValueOf("Upload", "uploadAlt").trim()
      }
    })
  }

  CKEDITOR.on("dialogDefinition", (event) => {
    if (event.data.name !== "image") return
    const definition = event.data.definition

    const info = definition.getContents("info")
    const alt = info && info.get("txtAlt")
    if (alt) {
      alt.label = "替换文本（必填）"
      alt.validate = CKEDITOR.dialog.validate.notEmpty(ALT_MISSING)
    }

    const upload = definition.getContents("Upload")
    const button = upload && upload.get("uploadButton")
    if (!button) return
    upload.add({ type: "text", id: "uploadAlt", label: "替换文本（必填）" }, "uploadButton")
    const send = button.onClick
    button.onClick = function (clickEvent) {
      const dialog = this.getDialog()
      const text = dialog.getValueOf("Upload", "uploadAlt").trim()
      if (!text) {
        alert(ALT_MISSING)
        return false
      }
      dialog.setValueOf("info", "txtAlt", text)
      return send ? send.call(this, clickEvent) : true
    }
  })
})()
