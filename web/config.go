package web

import "net/http"

// routesConfig mounts the pages of this area (to be written).
func (u *UI) routesConfig(mux *http.ServeMux) {}
