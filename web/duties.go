package web

import "net/http"

// routesDuties mounts the pages of this area (to be written).
func (u *UI) routesDuties(mux *http.ServeMux) {}
