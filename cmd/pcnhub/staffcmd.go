package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pcnhub/pcnhub"
	"github.com/pcnhub/pcnhub/sqlstore"
	"github.com/pcnhub/pcnhub/staff"
)

const staffUsage = `usage:
  pcnhub staff add --username U --name "Full Name" --org ODS --role ROLE [--sds-user-id ID] [--role-profile-id ID] [--service]
  pcnhub staff grant --username U --org ODS --role ROLE [--role-profile-id ID]
  pcnhub staff password --username U          read a new password from standard input
  pcnhub staff disable|enable --username U
  pcnhub staff token --username U --org ODS --name "what it is for" [--days N]
  pcnhub staff list
roles: receptionist, clinician, 111-call-handler, practice-manager, hub-manager, administrator`

// cmdStaff manages staff users, their roles and API tokens.
func cmdStaff(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	verbs := map[string]bool{"add": true, "grant": true, "password": true, "disable": true, "enable": true, "token": true, "list": true}
	if len(args) == 0 || !verbs[args[0]] {
		return usageError(staffUsage)
	}
	verb := args[0]
	f := newFlags("staff "+verb, "staff "+verb+" [flags]", stderr)
	username := f.String("username", "", "the user name (letters, digits, . _ - @)")
	name := f.String("name", "", "add: the person's full name, e.g. \"Rosa Patel\"")
	org := f.String("org", "", "the organisation's ODS code")
	role := f.String("role", "", "the role at that organisation")
	sds := f.String("sds-user-id", "", "add: the SDS user id (smartcard), when known")
	profile := f.String("role-profile-id", "", "the SDS role profile id of the role, when known")
	service := f.Bool("service", false, "add: a machine consumer, signing in with API tokens only")
	tokenName := f.String("name-of-token", "", "token: what the token is for (also --name)")
	days := f.Int("days", 365, "token: days until the token expires (0: never)")
	sf := addStoreFlags(f)
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	store, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if verb == "list" {
		return listStaff(ctx, store, stdout)
	}
	if *username == "" {
		f.Usage()
		return usageError("--username is required")
	}
	switch verb {
	case "add":
		u := &staff.User{Username: *username, DisplayName: *name, SDSUserID: *sds, Service: *service}
		if fields := strings.Fields(*name); len(fields) > 0 {
			u.Family, u.Given = fields[len(fields)-1], strings.Join(fields[:len(fields)-1], " ")
		}
		if *org != "" {
			u.Memberships = []staff.Membership{{OrgODS: pcnhub.ODSCode(*org), Role: staff.Role(*role), RoleProfileID: *profile}}
		}
		password := ""
		if !*service {
			if password, err = readPassword(stdin, stderr, *username); err != nil {
				return err
			}
			u.PasswordHash = staff.HashPassword(password)
		}
		if err := store.CreateStaffUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (user %d)\n", u.Username, u.ID)
		return nil
	}
	u, err := store.StaffUserByName(ctx, *username)
	if err != nil {
		return err
	}
	switch verb {
	case "grant":
		if err := store.SetStaffMembership(ctx, u.ID, staff.Membership{OrgODS: pcnhub.ODSCode(*org), Role: staff.Role(*role), RoleProfileID: *profile}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is %s at %s\n", u.Username, *role, *org)
	case "password":
		password, err := readPassword(stdin, stderr, u.Username)
		if err != nil {
			return err
		}
		if err := store.SetStaffPassword(ctx, u.ID, staff.HashPassword(password)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; the account is unlocked\n", u.Username)
	case "disable", "enable":
		if err := store.SetStaffDisabled(ctx, u.ID, verb == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %sd\n", u.Username, verb)
	case "token":
		label := *tokenName
		if label == "" {
			label = *name
		}
		if label == "" {
			return usageError("say what the token is for with --name")
		}
		token, hash := staff.NewToken(staff.APITokenPrefix)
		t := &staff.APIToken{Hash: hash, Name: label, UserID: u.ID, OrgODS: pcnhub.ODSCode(*org), Created: time.Now()}
		if *days > 0 {
			t.Expires = t.Created.AddDate(0, 0, *days)
		}
		if err := store.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "API token %d for %s at %s; it is shown once, keep it secret:\n", t.ID, u.Username, t.OrgODS)
		fmt.Fprintln(stdout, token)
	}
	return nil
}

// readPassword reads a new password from the first line of stdin and
// checks the policy.
func readPassword(stdin io.Reader, stderr io.Writer, username string) (string, error) {
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		fmt.Fprintf(stderr, "new password for %s (at least %d characters; it is echoed): ", username, staff.MinPasswordLength)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", pcnhub.Errorf(pcnhub.EINVALID, "give the password on standard input, e.g. pcnhub staff add … < password.txt")
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := staff.CheckPasswordPolicy(pw, username); err != nil {
		return "", err
	}
	return pw, nil
}

func listStaff(ctx context.Context, store *sqlstore.Store, stdout io.Writer) error {
	users, err := store.ListStaffUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tNAME\tKIND\tSDS USER ID\tSTATE\tROLES")
	for _, u := range users {
		kind, state := "person", "active"
		if u.Service {
			kind = "service"
		}
		switch {
		case u.Disabled:
			state = "disabled"
		case u.Locked(time.Now()):
			state = "locked"
		}
		var roles []string
		for _, m := range u.Memberships {
			roles = append(roles, string(m.Role)+"@"+string(m.OrgODS))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, kind, u.SDSUserID, state, strings.Join(roles, " "))
	}
	return tw.Flush()
}
