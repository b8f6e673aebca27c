package server

import (
	"context"

	"github.com/pcnhub/pcnhub/gpconnect"
	"github.com/pcnhub/pcnhub/seed"
	"github.com/pcnhub/pcnhub/sqlstore"
)

// GPConnectCapabilities are the GP Connect switches of a practice: the
// whole service, then each capability.
var GPConnectCapabilities = []string{gpconnect.CapGlobal, gpconnect.CapAppointments, gpconnect.CapStructured, gpconnect.CapHTML}

// EnableSeeded switches GP Connect on for every hosted organisation of a
// data set: the seeds are meant to be used at once, while a practice
// created any other way starts with everything off.
func EnableSeeded(ctx context.Context, store *sqlstore.Store, d seed.Dataset) error {
	for _, o := range d.Organisations {
		if !o.Hosted {
			continue
		}
		org, err := store.OrganisationByODS(ctx, o.ODS)
		if err != nil {
			return err
		}
		switches, err := store.GPConnectSwitches(ctx, org.ID)
		if err != nil {
			return err
		}
		for _, c := range GPConnectCapabilities {
			if _, set := switches[c]; !set { // never override a practice's own choice
				if err := store.SetGPConnectEnabled(ctx, org.ID, c, true, "seed:"+d.Name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
