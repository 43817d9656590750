package demo

import (
	"html/template"
	"net/http"
)

// Intranet serves a sample intranet page, on an origin of its own, that
// embeds langcard the way a page author would: one script tag and the
// <language-card> element (here twice, in both layouts), and a team
// section with three colleagues' cards, read-only. Its own styles
// are deliberately loud, to show that they do not reach the cards.
func Intranet(bffURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			// Browsers ask for it on their own; a 404 is logged as an error
			// in their console.
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Header().Set("Cache-Control", "max-age=86400")
			w.Write([]byte(favicon))
			return
		}
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		intranetPage.Execute(w, bffURL)
	})
}

var intranetPage = template.Must(template.New("intranet").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contoso intranet · People</title>
<script src="{{.}}/static/embed.js" async></script>
<style>
  body { margin: 0; font: 15px/1.4 Georgia, serif; background: #fbf7ef; color: #3b2f2f; }
  header { background: #5b2a86; color: #fff; padding: 14px 28px; font: bold 20px Georgia, serif; }
  main { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 28px; padding: 28px; max-width: 1200px; }
  h1, h2 { color: #8a1c1c; font-variant: small-caps; }
  /* Loud host styles: none of them may reach the cards. */
  button { background: hotpink; color: #000; border: 3px dashed #000; font: 22px Georgia, serif; }
  .card { border: 4px dotted orange; }
  input, select { background: #ffffcc; }
  /* Custom properties of the host's own, on the element itself: only the
     documented --langcard-* ones may reach the card. */
  language-card { --accent: hotpink; --card: #000; --font: Georgia; --radius: 0; }
  aside { background: #efe6f7; padding: 16px; border-radius: 6px; }
  .team { grid-column: 1 / -1; }
  .team-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
  /* A second theme, the intranet's own brand, through the card's custom
     properties and parts: it keeps every contrast rule. */
  language-card.branded {
    --langcard-accent: #5b2a86; --langcard-focus: #8a1c1c; --langcard-radius: 2px;
    --langcard-font-family: Georgia, "Times New Roman", serif;
    --langcard-card-background: #fffdf8; --langcard-border: #b9a3d0; --langcard-text: #2b1d3a;
  }
  language-card.branded::part(title) { font-variant: small-caps; color: #8a1c1c; }
  @media (max-width: 40rem) { main { grid-template-columns: minmax(0, 1fr); padding: 12px; gap: 16px; } header { padding: 12px; } }
</style>
</head>
<body>
<header>Contoso intranet</header>
<main>
  <section>
    <h1>My profile</h1>
    <p>These are the languages on your Microsoft 365 profile. Colleagues searching for a language
    speaker find you by them.</p>
    <p><button class="card" type="button">An intranet button</button></p>
    <language-card></language-card>
  </section>
  <aside>
    <h2>Compact layout, in the intranet's colours</h2>
    <language-card class="branded" layout="compact" heading-level="3"></language-card>
  </aside>
  <section class="team">
    <h2>Team</h2>
    <p>Your colleagues' languages, as they chose to share them: each card shows only what its owner
    shares with the organization, and says how many more are not shared with you.</p>
    <div class="team-cards">
      <language-card user="megan.bowen@contoso.example" layout="compact" heading-level="3"></language-card>
      <language-card user="adele.vance@contoso.example" layout="compact" heading-level="3"></language-card>
      <language-card user="lee.gu@contoso.example" layout="compact" heading-level="3"></language-card>
    </div>
  </section>
</main>
</body>
</html>
`))

// favicon is the demo intranet's icon: a plain square in its colour.
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#5b2a86"/></svg>`
