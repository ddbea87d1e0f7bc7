"""Coordinated Entry APR ("ce_apr"; HUD "HMIS Programming Specifications for the Coordinated Entry APR"):
assessments (4.19) and events (4.20) recorded by CE-participating projects. See ADR 0018.
"""
