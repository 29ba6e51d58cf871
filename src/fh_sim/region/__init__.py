"""The region: data loading, transit network, travel costs and accessibility."""
