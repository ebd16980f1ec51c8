// Click to play: the privacy-enhanced player is created only when a visitor presses play.
// Without JavaScript the link opens the video's own page, which holds the player.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-embed]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.className = "video-frame";
  frame.src = link.getAttribute("data-embed");
  frame.title = link.getAttribute("data-title");
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.setAttribute("allowfullscreen", "");
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  link.replaceWith(frame);
  frame.focus();
});
